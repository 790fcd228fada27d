package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import dev.queuescaler.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized template, resource by resource and property by property. */
class QueueDepthAutoscalerStackTest {

  private static QueueDepthAutoscalerStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    App app = new App();
    stack = InfraApp.build(app);
    app.synth();
    template = Template.fromStack(stack);
  }

  @Test
  void theScheduleInvokesTheScalerAliasEveryMinuteWithoutRetries() {
    template.hasResourceProperties(
        "AWS::Scheduler::Schedule",
        Map.of(
            "ScheduleExpression", "rate(1 minute)",
            "FlexibleTimeWindow", Map.of("Mode", "OFF"),
            "Target",
                Match.objectLike(
                    Map.of(
                        "Arn",
                            Map.of("Ref", Match.stringLikeRegexp("QueueDepthScalerRuntimeLive.*")),
                        "RetryPolicy",
                            Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60)))));
    template.hasResourceProperties(
        "AWS::Lambda::Alias", Map.of("Name", "live", "FunctionVersion", Match.anyValue()));
  }

  @Test
  void parameterStoreChangesUnderThePrefixWaitInTheScalersQueueNotInInvocations() {
    template.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "EventPattern",
            Map.of(
                "source", List.of("aws.ssm"),
                "detail-type", List.of("Parameter Store Change"),
                "detail", Map.of("name", List.of(Map.of("prefix", "/queue-scaler/")))),
            "Targets",
            List.of(
                Match.objectLike(
                    Map.of(
                        "Arn",
                        Map.of(
                            "Fn::GetAtt",
                            List.of(
                                Match.stringLikeRegexp(
                                    "QueueDepthScalerRuntimeParameterChangeQueue.*"),
                                "Arn")))))));
    template.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true, "MessageRetentionPeriod", 86_400));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "SCALER_CHANGE_QUEUE_URL",
                            Map.of(
                                "Ref",
                                Match.stringLikeRegexp(
                                    "QueueDepthScalerRuntimeParameterChangeQueue.*"))))))));
    template.resourcePropertiesCountIs(
        "AWS::Lambda::Permission", Map.of("Principal", "events.amazonaws.com"), 0);
  }

  @Test
  void lambdaItselfNeverRetriesAFailedTickEither() {
    // The Scheduler invokes asynchronously: without this, Lambda retries a failed cycle twice,
    // 1-3 minutes later, beside the next scheduled one.
    template.resourceCountIs("AWS::Lambda::EventInvokeConfig", 1);
    template.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of(
            "FunctionName",
            Map.of("Ref", Match.stringLikeRegexp("QueueDepthScalerRuntimeFunction.*")),
            // The alias' name, taken from its ARN: the config covers what the schedule invokes.
            "Qualifier",
            Match.objectLike(Map.of("Fn::Select", Match.anyValue())),
            "MaximumRetryAttempts",
            0,
            "MaximumEventAgeInSeconds",
            60));
  }

  /** The stack synthesized with these context settings. */
  private static Template templateWith(Map<String, Object> context) {
    return Template.fromStack(
        InfraApp.build(
            new App(software.amazon.awscdk.AppProps.builder().context(context).build())));
  }

  @Test
  void theScalersShareOfTheAccountsQuotasIsAContextSetting() {
    Template shared = templateWith(Map.of("scalerQuotaSharePercent", "60"));

    shared.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                "dev.queuescaler.scaler.lambda.ScalerHandler::handleRequest",
                "Environment",
                Map.of(
                    "Variables", Match.objectLike(Map.of("SCALER_QUOTA_SHARE_PERCENT", "60"))))));
  }

  @Test
  void aScheduledGeneratorIsNotRetriedByLambdaEither() {
    Template scheduled = templateWith(Map.of("generatorSchedule", "true"));

    scheduled.resourceCountIs("AWS::Scheduler::Schedule", 2);
    scheduled.resourceCountIs("AWS::Lambda::EventInvokeConfig", 2);
    scheduled.hasResourceProperties(
        "AWS::Lambda::EventInvokeConfig",
        Map.of("Qualifier", "$LATEST", "MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60));
  }

  @Test
  void theScalerRunsJava21WithSnapStartActiveTracingAndItsHandler() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Runtime",
                "java21",
                "Handler",
                "dev.queuescaler.scaler.lambda.ScalerHandler::handleRequest",
                "MemorySize",
                1024,
                "TracingConfig",
                Map.of("Mode", "Active"),
                "SnapStart",
                Map.of("ApplyOn", "PublishedVersions"),
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "SCALER_PARAMETER_PATH", "/queue-scaler",
                            "SCALER_EVENT_BUS", "default",
                            "SCALER_QUOTA_SHARE_PERCENT", "50",
                            "SCALER_STATE_TABLE", Match.anyValue()))))));
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
  }

  @Test
  void theParametersAreTheRequiredKeysAndWhatTheStackDecides() {
    Map<ParameterKey, Object> written =
        Map.of(
            ParameterKey.QUEUE_URL,
            Map.of("Ref", Match.stringLikeRegexp("WorkQueue.*")),
            ParameterKey.CLUSTER,
            Map.of("Ref", Match.stringLikeRegexp("WorkerCluster.*")),
            ParameterKey.SERVICE,
            Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("WorkerService.*"), "Name")),
            ParameterKey.MAX_TASKS,
            "10",
            ParameterKey.BACKLOG_PER_TASK,
            "100",
            // The worker's 4 receive loops of 10 messages: the load term's fact of the worker.
            ParameterKey.TASK_CONCURRENCY,
            "40",
            ParameterKey.POLICY,
            "backlog-and-load");
    written.forEach(
        (key, value) ->
            template.hasResourceProperties(
                "AWS::SSM::Parameter",
                Map.of(
                    "Name",
                    "/queue-scaler/default/" + key.key(),
                    "Type",
                    "String",
                    "Value",
                    value,
                    "Description",
                    Match.stringLikeRegexp(key.key() + " .*" + key.valid() + ".*"))));
    // Every other key is absent: the scaler takes its default, and a live change through SSM is
    // never overwritten by a deploy.
    template.resourceCountIs("AWS::SSM::Parameter", written.size());
  }

  @Test
  void choosingTheBacklogPerTaskFormulaAtDeployWritesTheFormulaAndLeavesItsDefaultsToTheScaler() {
    Template backlogPerTask = templateWith(Map.of("policy", "backlog-per-task"));

    backlogPerTask.hasResourceProperties(
        "AWS::SSM::Parameter",
        Match.objectLike(
            Map.of("Name", "/queue-scaler/default/policy", "Value", "backlog-per-task")));
    backlogPerTask.resourceCountIs("AWS::SSM::Parameter", 7);
  }

  @Test
  void theTaskConcurrencyWrittenIsWhatTheWorkerHoldsAtATime() {
    for (int loops : new int[] {1, 4, 64}) {
      assertThat(WorkerService.messagesAtOnce(loops))
          .as("infra's count for %d loops against the worker's own", loops)
          .isEqualTo(WorkerSettings.messagesAtOnce(loops));
    }
  }

  @Test
  void theWorkersStopTimeoutIsTheOneItsStopCountsOn() {
    for (int budget : new int[] {1, 25, 100}) {
      assertThat(WorkerService.stopTimeoutSeconds(budget))
          .as(
              "infra's stopTimeout for a %d s budget against the one the worker's stop counts on",
              budget)
          .isEqualTo(WorkerSettings.stopTimeoutSeconds(budget));
    }
  }

  /**
   * The stack owns the 7 keys it writes, and they go with it: a key dropped from the template
   * returns to the scaler's default, and one added again later is created anew. Live tuning goes
   * through the keys the template does not write.
   */
  @Test
  void theKeysTheStackWritesAreDeletedWithIt() {
    Map<String, Map<String, Object>> parameters = template.findResources("AWS::SSM::Parameter");
    assertThat(parameters).hasSize(7);
    parameters.forEach(
        (id, parameter) -> {
          assertThat(parameter).as(id).containsEntry("DeletionPolicy", "Delete");
          assertThat(parameter).as(id).containsEntry("UpdateReplacePolicy", "Delete");
        });
  }

  @Test
  void theStateTableIsOnDemandAndKeyedByTarget() {
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "KeySchema", List.of(Map.of("AttributeName", "target", "KeyType", "HASH")),
            "AttributeDefinitions",
                List.of(Map.of("AttributeName", "target", "AttributeType", "S")),
            "BillingMode", "PAY_PER_REQUEST"));
  }

  @Test
  void theQueueIsEncryptedWithADeadLetterQueueAndAnExplicitSize() {
    template.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of(
            "SqsManagedSseEnabled",
            true,
            "MaximumMessageSize",
            1_048_576,
            "VisibilityTimeout",
            150,
            "RedrivePolicy",
            Map.of(
                "maxReceiveCount",
                5,
                "deadLetterTargetArn",
                Map.of(
                    "Fn::GetAtt", List.of(Match.stringLikeRegexp("WorkDeadLetters.*"), "Arn")))));
    template.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of("SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1_209_600));
    template.hasResourceProperties(
        "AWS::SQS::QueuePolicy",
        Map.of(
            "PolicyDocument",
            Map.of(
                "Statement",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Effect",
                                "Deny",
                                "Condition",
                                Map.of("Bool", Map.of("aws:SecureTransport", "false")))))),
                "Version",
                "2012-10-17")));
  }

  @Test
  void theWorkerServiceHasNoDesiredCountAndNoScalableTarget() {
    template.hasResourceProperties(
        "AWS::ECS::Service",
        Match.objectLike(
            Map.of(
                "LaunchType", "FARGATE",
                "DesiredCount", Match.absent(),
                "DeploymentConfiguration",
                    Match.objectLike(
                        Map.of(
                            "DeploymentCircuitBreaker",
                            Map.of("Enable", true, "Rollback", true))))));
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 0);
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 0);
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            Match.arrayWith(
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Name",
                            "Worker",
                            "StopTimeout",
                            45,
                            "Environment",
                            Match.arrayWith(
                                List.of(
                                    Map.of(
                                        "Name", "WORKER_SHUTDOWN_SECONDS", "Value", "25")))))))));
  }

  @Test
  void theNetworkHasPublicSubnetsOnlyAndNoNatGateway() {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 2);
    template.hasResourceProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", true));
  }

  @Test
  void theScalersPermissionsNameTheirResources() {
    Map<String, Map<String, Object>> policies =
        template.findResources(
            "AWS::IAM::Policy",
            Map.of(
                "Properties",
                Map.of("PolicyName", Match.stringLikeRegexp("QueueDepthScalerRuntimeFunction.*"))));
    assertThat(policies).hasSize(1);
    String document = policies.values().iterator().next().toString();
    Map<String, Map<String, Object>> grants =
        template.findResources(
            "AWS::IAM::ManagedPolicy",
            Map.of(
                "Properties",
                Map.of(
                    "Roles",
                    List.of(
                        Map.of(
                            "Ref",
                            Match.stringLikeRegexp(
                                "QueueDepthScalerRuntimeFunctionServiceRole.*"))))));
    assertThat(grants)
        .as("the target's grant, in a managed policy: never the role's inline policies")
        .hasSize(1);
    String grant = grants.values().iterator().next().toString();
    assertThat(statement(grant, "ecs:UpdateService"))
        .contains("WorkerService")
        .doesNotContain("Resource=*");
    assertThat(statement(grant, "sqs:GetQueueAttributes"))
        .as("the work queue's counts")
        .contains("WorkQueue")
        .doesNotContain("Resource=*");
    assertThat(statements(document, "ecs:UpdateService")).isEmpty();
    assertThat(statements(document, "sqs:ReceiveMessage"))
        .as("its own change queue, and no work queue")
        .anySatisfy(
            statement ->
                assertThat(statement)
                    .contains("QueueDepthScalerRuntimeParameterChangeQueue")
                    .contains("sqs:DeleteMessage"))
        .allSatisfy(statement -> assertThat(statement).doesNotContain("WorkQueue"));
    assertThat(statement(document, "dynamodb:PutItem")).contains("QueueDepthScalerRuntimeState");
    assertThat(statement(document, "dynamodb:UpdateItem"))
        .as("the parameter change record")
        .contains("QueueDepthScalerRuntimeState");
    assertThat(statement(document, "dynamodb:BatchGetItem"))
        .as("the last valid configurations, read a hundred targets a call")
        .contains("QueueDepthScalerRuntimeState");
    assertThat(statement(document, "dynamodb:DeleteItem"))
        .as("the last valid configuration of a target that is gone")
        .contains("QueueDepthScalerRuntimeState");
    assertThat(statement(document, "events:PutEvents")).contains("event-bus/default");
    assertThat(statement(document, "ssm:GetParametersByPath")).contains("parameter/queue-scaler");
    assertThat(statement(document, "xray:PutTraceSegments")).contains("Resource=*");
  }

  @Test
  void idleChecksGoThroughAnEncryptedQueueToTheLiveAliasOneAtATime() {
    template.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of(
            "SqsManagedSseEnabled",
            true,
            "VisibilityTimeout",
            100,
            "MessageRetentionPeriod",
            300,
            "RedrivePolicy",
            Map.of(
                "maxReceiveCount",
                1,
                "deadLetterTargetArn",
                Map.of(
                    "Fn::GetAtt",
                    List.of(
                        Match.stringLikeRegexp("QueueDepthScalerRuntimeFailedIdleChecks.*"),
                        "Arn")))));
    Map<String, Map<String, Object>> mappings =
        template.findResources(
            "AWS::Lambda::EventSourceMapping",
            Map.of(
                "Properties",
                Map.of(
                    "BatchSize",
                    1,
                    "EventSourceArn",
                    Map.of(
                        "Fn::GetAtt",
                        List.of(
                            Match.stringLikeRegexp("QueueDepthScalerRuntimeIdleChecks.*"),
                            "Arn")))));
    assertThat(mappings).hasSize(1);
    assertThat(mappings.values().iterator().next().get("Properties").toString())
        .as("the live alias, which SnapStart restores")
        .contains("Ref=QueueDepthScalerRuntimeLive")
        .contains(":live");
    template.resourcePropertiesCountIs(
        "AWS::Lambda::EventSourceMapping",
        Map.of("MaximumBatchingWindowInSeconds", Match.anyValue()),
        0);
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "SCALER_IDLE_CHECK_QUEUE_URL",
                        Map.of(
                            "Ref",
                            Match.stringLikeRegexp("QueueDepthScalerRuntimeIdleChecks.*")))))));
  }

  @Test
  void theScalerSendsToItsChecksQueueOnly() {
    String document =
        template
            .findResources(
                "AWS::IAM::Policy",
                Map.of(
                    "Properties",
                    Map.of(
                        "PolicyName", Match.stringLikeRegexp("QueueDepthScalerRuntimeFunction.*"))))
            .values()
            .iterator()
            .next()
            .toString();

    assertThat(statements(document, "sqs:SendMessage"))
        .singleElement()
        .asString()
        .contains("QueueDepthScalerRuntimeIdleChecks")
        .doesNotContain("WorkQueue")
        .doesNotContain("ParameterChangeQueue")
        .doesNotContain("Resource=*");
    assertThat(statements(document, "sqs:ReceiveMessage"))
        .as("the event source mapping's, on the checks queue alone")
        .anySatisfy(
            statement ->
                assertThat(statement)
                    .contains("QueueDepthScalerRuntimeIdleChecks")
                    .doesNotContain("WorkQueue")
                    .doesNotContain("ParameterChangeQueue"));
  }

  /** Every statement of a policy document (as text) that contains {@code action}. */
  private static List<String> statements(String document, String action) {
    List<String> found = new ArrayList<>();
    for (int at = document.indexOf(action); at >= 0; at = document.indexOf(action, at + 1)) {
      int start = document.lastIndexOf("{Action=", at);
      int end = document.indexOf("}, {Action=", at);
      found.add(document.substring(start, end < 0 ? document.length() : end));
    }
    return found;
  }

  /** The statement of a policy document (as text) that contains {@code action}. */
  private static String statement(String document, String action) {
    // A statement of this action alone, if there is one; else the first that names it.
    int alone = document.indexOf("{Action=" + action + ",");
    int at = alone >= 0 ? alone + 1 : document.indexOf(action);
    assertThat(at).as(action + " in " + document).isNotNegative();
    int start = document.lastIndexOf("{Action=", at);
    int end = document.indexOf("}, {Action=", at);
    return document.substring(start, end < 0 ? document.length() : end);
  }

  @Test
  void cdkNagFindsNoUnsuppressedError() {
    assertThat(
            Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .isEmpty();
  }

  @Test
  void theHandlersNameClassesThatExistInTheJarsTheAssetsPointAt() throws Exception {
    assertHandlerInJar(ScalerRuntime.HANDLER, ScalerCode.jar().toString());
    assertHandlerInJar(LoadGenerator.HANDLER, LoadGenerator.DEFAULT_JAR);
    template.hasResourceProperties(
        "AWS::Lambda::Function", Match.objectLike(Map.of("Handler", LoadGenerator.HANDLER)));
  }

  private static void assertHandlerInJar(String handler, String jar) throws Exception {
    String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
    try (JarFile file = new JarFile(Path.of(jar).toFile())) {
      assertThat(file.getEntry(entry)).as(entry + " in " + jar).isNotNull();
    }
  }

  @Test
  void theOutputsGiveTheQueueThePrefixTheDashboardAndTheTraceFilter() {
    template.hasOutput("QueueUrl", Match.anyValue());
    template.hasOutput("ParameterPrefix", Map.of("Value", "/queue-scaler/default"));
    template.hasOutput("DashboardUrl", Match.anyValue());
    template.hasOutput(
        "ScalingDecisionsTraceFilter", Map.of("Value", QueueDepthAutoscalerStack.TRACE_FILTER));
    template.hasOutput(
        "AlarmTopicArn",
        Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("ObservabilityAlarmTopic.*"))));
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    template.resourceCountIs("AWS::CloudWatch::Alarm", 5);
  }

  @Test
  void theScalersTimeoutLeavesTheFortyFiveSecondSampleRoomToAct() {
    // 45 s + two calls at 20 s, the 2 s margin, 1 s for the turns, the 2 s flush = 90 s, with no
    // time for a late start; 100 s leaves 10 s.
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(Map.of("Handler", ScalerRuntime.HANDLER, "Timeout", 100)));
  }

  @Test
  void theScalerRunsOneInvocationAtATime() {
    // Reserved concurrency 1: Lambda's asynchronous queue holds the next tick (or a change event)
    // until the running cycle ends; the 60 s maximum event age (above) bounds that wait.
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of("Handler", ScalerRuntime.HANDLER, "ReservedConcurrentExecutions", 1)));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler", LoadGenerator.HANDLER, "ReservedConcurrentExecutions", Match.absent())));
  }

  @Test
  void everyAlarmNotifiesTheAlarmTopicWhenItFiresAndWhenItClears() {
    Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
    String topic = topicId(template);

    assertThat(alarms).hasSize(5);
    alarms.forEach(
        (id, alarm) -> {
          Map<?, ?> properties = (Map<?, ?>) alarm.get("Properties");
          assertThat(properties.get("AlarmActions"))
              .as(id + " AlarmActions")
              .isEqualTo(List.of(Map.of("Ref", topic)));
          assertThat(properties.get("OKActions"))
              .as(id + " OKActions")
              .isEqualTo(List.of(Map.of("Ref", topic)));
        });
  }

  @Test
  void aScalerThatCompletesNoCycleForThreeMinutesAlarmsMissingDataIncluded() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "Namespace",
            "QueueScaler",
            "MetricName",
            "CyclesCompleted",
            "Statistic",
            "Sum",
            "Period",
            60,
            "EvaluationPeriods",
            3,
            "DatapointsToAlarm",
            3,
            "Threshold",
            1,
            "ComparisonOperator",
            "LessThanThreshold",
            "TreatMissingData",
            "breaching",
            "AlarmDescription",
            Match.stringLikeRegexp("No scaling cycle completed.*")));
    // The function's metric, not a target's: the heartbeat is written without dimensions.
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("MetricName", "CyclesCompleted", "Dimensions", Match.absent())));
  }

  @Test
  void aConfigurationErrorOnAnyTargetAlarmsOnItsFirstMinuteAndAQuietMinuteKeepsTheState() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "QueueScaler",
                "MetricName",
                "ConfigErrors",
                "Dimensions",
                Match.absent(),
                "Period",
                60,
                "EvaluationPeriods",
                1,
                "Threshold",
                0,
                "ComparisonOperator",
                "GreaterThanThreshold",
                "TreatMissingData",
                "ignore")));
  }

  @Test
  void theAlarmsWatchMetricsTheScalerWritesInTheNamespaceItWritesThem() {
    List<String> written = new ArrayList<>(EmfMetricsSink.METRICS);
    written.add(EmfCycleHeartbeat.METRIC);
    Map<String, Map<String, Object>> scalerAlarms =
        template.findResources(
            "AWS::CloudWatch::Alarm",
            Map.of("Properties", Map.of("Namespace", ScalerRuntime.METRICS_NAMESPACE)));

    assertThat(scalerAlarms).hasSize(2);
    scalerAlarms.forEach(
        (id, alarm) ->
            assertThat(((Map<?, ?>) alarm.get("Properties")).get("MetricName"))
                .as(id)
                .isIn(written.toArray()));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                ScalerRuntime.HANDLER,
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of("SCALER_METRICS_NAMESPACE", ScalerRuntime.METRICS_NAMESPACE))))));
  }

  @Test
  void theAlarmTopicTakesOnlyTlsAndOnlyThisAccountsAlarms() {
    Object tlsOnly =
        Match.objectLike(
            Map.of(
                "Effect",
                "Deny",
                "Principal",
                "*",
                "Condition",
                Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
    Object thisAccountsAlarms =
        Match.objectLike(
            Map.of(
                "Effect",
                "Allow",
                "Action",
                "sns:Publish",
                "Principal",
                Map.of("Service", "cloudwatch.amazonaws.com"),
                "Condition",
                Map.of(
                    "StringEquals",
                    Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                    "ArnLike",
                    Map.of(
                        "aws:SourceArn",
                        Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(":alarm:*"))))))));

    template.resourceCountIs("AWS::SNS::Topic", 1);
    template.hasResourceProperties(
        "AWS::SNS::TopicPolicy",
        Map.of(
            "Topics",
            List.of(Map.of("Ref", topicId(template))),
            "PolicyDocument",
            Match.objectLike(
                Map.of("Statement", Match.arrayWith(List.of(tlsOnly, thisAccountsAlarms))))));
  }

  @Test
  void withoutAlarmEmailTheTopicHasNoSubscription() {
    template.hasResourceProperties(
        "AWS::SNS::Topic", Match.objectLike(Map.of("Subscription", Match.absent())));
    template.resourceCountIs("AWS::SNS::Subscription", 0);
    // An empty value, as -c alarmEmail= clears it, is no subscription either.
    templateWith(Map.of("alarmEmail", ""))
        .hasResourceProperties(
            "AWS::SNS::Topic", Match.objectLike(Map.of("Subscription", Match.absent())));
  }

  @Test
  void alarmEmailSubscribesThatAddressToTheAlarmTopic() {
    Template subscribed = templateWith(Map.of("alarmEmail", "ops+scaler@example.com"));

    subscribed.hasResourceProperties(
        "AWS::SNS::Topic",
        Match.objectLike(
            Map.of(
                "Subscription",
                List.of(Map.of("Protocol", "email", "Endpoint", "ops+scaler@example.com")))));
    subscribed.resourceCountIs("AWS::SNS::Topic", 1);
  }

  private static String topicId(Template template) {
    Map<String, Map<String, Object>> topics = template.findResources("AWS::SNS::Topic");
    assertThat(topics).hasSize(1);
    return topics.keySet().iterator().next();
  }

  @Test
  void theGeneratorIsTracedAndNotScheduledByDefault() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of("Handler", LoadGenerator.HANDLER, "TracingConfig", Map.of("Mode", "Active"))));
    template.resourceCountIs("AWS::Scheduler::Schedule", 1);
  }
}
