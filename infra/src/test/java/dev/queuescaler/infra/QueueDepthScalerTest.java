package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.config.ParsedTarget;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingFormula;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.sqs.Queue;

/** The construct as another app uses it: its props, its parameters, its prefix, its stacks. */
class QueueDepthScalerTest {

  /** A stack with a cluster, and a queue and a Fargate service per name. */
  private static final class Existing {
    final Stack stack;
    final Cluster cluster;

    Existing(App app, String id) {
      stack = new Stack(app, id);
      Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
      cluster = Cluster.Builder.create(stack, "Cluster").vpc(vpc).build();
    }

    Queue queue(String name) {
      return Queue.Builder.create(stack, name + "Queue").build();
    }

    FargateService service(String name) {
      FargateTaskDefinition task =
          FargateTaskDefinition.Builder.create(stack, name + "Task").build();
      task.addContainer(
          "app",
          ContainerDefinitionOptions.builder()
              .image(ContainerImage.fromRegistry("public/app:1"))
              .build());
      return FargateService.Builder.create(stack, name + "Service")
          .cluster(cluster)
          .taskDefinition(task)
          .build();
    }

    QueueDepthScaler.Builder scaler(String name) {
      return QueueDepthScaler.Builder.create(stack, name + "Scaling")
          .targetName(name)
          .queue(queue(name))
          .service(service(name));
    }
  }

  private static Map<String, Map<String, Object>> parameters(Stack stack) {
    return Template.fromStack(stack).findResources("AWS::SSM::Parameter");
  }

  private static Set<String> parameterNames(Stack stack) {
    return parameters(stack).values().stream()
        .map(p -> (String) ((Map<?, ?>) p.get("Properties")).get("Name"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theBuilderAndThePropsWriteTheSameTarget() {
    Existing built = new Existing(new App(), "Built");
    built
        .scaler("orders")
        .tunables(ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build())
        .build();
    Existing withProps = new Existing(new App(), "Built");
    new QueueDepthScaler(
        withProps.stack,
        "ordersScaling",
        QueueDepthScalerProps.builder()
            .targetName("orders")
            .queue(withProps.queue("orders"))
            .service(withProps.service("orders"))
            .tunables(ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build())
            .build());

    assertThat(parameters(withProps.stack)).isEqualTo(parameters(built.stack)).hasSize(5);
  }

  @Test
  void onlyTheRequiredKeysAndTheKeysSetAreWritten() {
    Existing app = new Existing(new App(), "Existing");
    app.scaler("orders")
        .tunables(
            ScalerTunables.builder()
                .maxTasks(20)
                .scaleInStabilization(software.amazon.awscdk.Duration.minutes(2))
                .dryRun(true)
                .build())
        .build();
    app.scaler("emails").build();

    assertThat(parameterNames(app.stack))
        .containsExactly(
            "/queue-scaler/emails/cluster",
            "/queue-scaler/emails/queue-url",
            "/queue-scaler/emails/service",
            "/queue-scaler/orders/cluster",
            "/queue-scaler/orders/dry-run",
            "/queue-scaler/orders/max-tasks",
            "/queue-scaler/orders/queue-url",
            "/queue-scaler/orders/scale-in-stabilization-seconds",
            "/queue-scaler/orders/service");
    Template.fromStack(app.stack)
        .hasResourceProperties(
            "AWS::SSM::Parameter",
            Map.of(
                "Name",
                "/queue-scaler/orders/scale-in-stabilization-seconds",
                "Type",
                "String",
                "Value",
                "120",
                "Description",
                Match.stringLikeRegexp(
                    "scale-in-stabilization-seconds \\(int\\): 0-3600; default 210 .*")));
  }

  /**
   * The scaler takes an absent key's default itself: a target written with only the keys set
   * validates to the same configuration as one written with every key at its default, under either
   * formula (their stabilization and tolerance defaults differ).
   */
  @Test
  void theScalerReadsAnAbsentKeyAsItsDefault() {
    Map<String, String> required =
        Map.of(
            "queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
            "cluster", "apps",
            "service", "orders");
    for (ScalerTunables tunables :
        List.of(
            ScalerTunables.defaults(),
            ScalerTunables.builder().maxTasks(20).taskConcurrency(40).build(),
            ScalerTunables.builder()
                .taskConcurrency(40)
                .policy(ScalingFormula.BACKLOG_PER_TASK)
                .build())) {
      Map<String, String> written = new HashMap<>(required);
      tunables.values().forEach((key, value) -> written.put(key.key(), value));
      Map<String, String> everyKey = new HashMap<>(written);
      ScalingFormula formula =
          tunables.values().containsKey(ParameterKey.POLICY)
              ? ScalingFormula.byKey(tunables.values().get(ParameterKey.POLICY)).orElseThrow()
              : ParameterKey.defaultFormula(
                  Integer.parseInt(
                      tunables.values().getOrDefault(ParameterKey.TASK_CONCURRENCY, "0")));
      for (ParameterKey key : ParameterKey.values()) {
        if (!key.isRequired()) {
          everyKey.putIfAbsent(key.key(), key.defaultValue(formula));
        }
      }
      everyKey.put(ParameterKey.POLICY.key(), formula.key());

      ParsedTarget fromWritten = ConfigurationParser.parseTarget(new TargetName("orders"), written);
      ParsedTarget fromEveryKey =
          ConfigurationParser.parseTarget(new TargetName("orders"), everyKey);

      assertThat(fromWritten.config()).as("%s", written).isPresent();
      assertThat(fromWritten.config()).as("%s", written).isEqualTo(fromEveryKey.config());
    }
  }

  @Test
  void theClusterIsTheServicesOwn() {
    Existing app = new Existing(new App(), "Existing");
    app.scaler("orders").build();

    Template.fromStack(app.stack)
        .hasResourceProperties(
            "AWS::SSM::Parameter",
            Map.of(
                "Name",
                "/queue-scaler/orders/cluster",
                "Value",
                Map.of("Ref", Match.stringLikeRegexp("Cluster.*")),
                "Type",
                "String",
                "Description",
                Match.anyValue()));
  }

  @Test
  void aServiceImportedByArnTakesItsClusterAndAnotherClusterIsRejected() {
    Existing app = new Existing(new App(), "Existing");
    var imported =
        FargateService.fromFargateServiceArn(
            app.stack, "Imported", "arn:aws:ecs:us-east-1:123456789012:service/apps/imported");

    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(app.stack, "NoCluster")
                    .targetName("imported")
                    .queue(app.queue("imported"))
                    .service(imported)
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.cluster is required for a service imported");
    QueueDepthScaler.Builder.create(app.stack, "WithCluster")
        .targetName("imported")
        .queue(app.queue("imported2"))
        .service(imported)
        .cluster(app.cluster)
        .build();
    assertThat(parameterNames(app.stack)).contains("/queue-scaler/imported/cluster");

    Cluster other =
        Cluster.Builder.create(app.stack, "Other")
            .vpc(Vpc.Builder.create(app.stack, "OtherVpc").maxAzs(1).natGateways(0).build())
            .build();
    assertThatThrownBy(() -> app.scaler("orders").cluster(other).build())
        .hasMessageContaining("must be the service's own cluster");
  }

  @Test
  void requiredPropsAndABadTargetNameAreRejectedNamingTheProp() {
    Existing app = new Existing(new App(), "Existing");

    assertThatThrownBy(() -> app.scaler("orders").targetName("a/b").build())
        .hasMessageContaining("QueueDepthScalerProps.targetName must match");
    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(app.stack, "NoQueue")
                    .targetName("x")
                    .service(app.service("x"))
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.queue is required");
    assertThatThrownBy(
            () -> QueueDepthScaler.Builder.create(app.stack, "NoService").targetName("y").build())
        .hasMessageContaining("QueueDepthScalerProps.service is required");
  }

  /** {@code ..} would write {@code /queue-scaler/../cluster}: a level above the prefix. */
  @Test
  void aTargetNameOfOnlyDotsIsRejected() {
    Existing app = new Existing(new App(), "Existing");

    for (String dots : List.of(".", "..", "...")) {
      assertThatThrownBy(() -> app.scaler("dots" + dots.length()).targetName(dots).build())
          .as(dots)
          .hasMessageContaining("QueueDepthScalerProps.targetName")
          .hasMessageContaining("\"" + dots + "\"");
    }
  }

  /**
   * The template owns only the keys it sets, so they go with it: removing the construct removes its
   * target (the scaler stops acting on a service it has no IAM for), dropping a tunable from code
   * brings back the default, and adding a key again later creates it anew.
   */
  @Test
  void theTargetsParametersAreDeletedWithTheConstruct() {
    Existing app = new Existing(new App(), "Existing");
    app.scaler("orders").tunables(ScalerTunables.builder().maxTasks(20).build()).build();

    Map<String, Map<String, Object>> written = parameters(app.stack);
    assertThat(written).hasSize(4);
    assertThat(written.values())
        .allSatisfy(
            parameter -> {
              assertThat(parameter).containsEntry("DeletionPolicy", "Delete");
              assertThat(parameter).containsEntry("UpdateReplacePolicy", "Delete");
            });
  }

  @Test
  void aPrefixMustBeAnSsmPathOfItsOwn() {
    for (String bad : List.of("queue-scaler", "/", "/a/", "/a b", "/aws/x", "/SSM", "/a//b")) {
      assertThatThrownBy(() -> new ParameterPrefix(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameterPrefix must");
    }
    assertThat(new ParameterPrefix("/team-a/scaler.v2").targetPath("orders"))
        .isEqualTo("/team-a/scaler.v2/orders");
  }

  @Test
  void targetsOfOneStackWithOnePrefixShareOneScaler() {
    Existing app = new Existing(new App(), "Existing");
    app.scaler("orders").build();
    app.scaler("emails").build();
    app.scaler("reports").parameterPrefix("/reports").build();
    Template template = Template.fromStack(app.stack);

    template.resourceCountIs("AWS::Lambda::Function", 2);
    template.resourceCountIs("AWS::Scheduler::Schedule", 2);
    template.resourceCountIs("AWS::DynamoDB::Table", 2);
    template.resourceCountIs("AWS::Events::Rule", 2);
  }

  /** The env, the IAM, the change events and the namespace of the one scaler in {@code stack}. */
  private static void assertReadsOnly(Stack stack, String prefix, String namespace) {
    Template template = Template.fromStack(stack);
    template.resourceCountIs("AWS::Lambda::Function", 1);
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "SCALER_PARAMETER_PATH",
                            prefix,
                            "SCALER_METRICS_NAMESPACE",
                            namespace))))));
    template.hasResourceProperties(
        "AWS::Events::Rule",
        Match.objectLike(
            Map.of(
                "EventPattern",
                Match.objectLike(
                    Map.of("detail", Map.of("name", List.of(Map.of("prefix", prefix + "/"))))))));
    // Its change events go to its own change queue, and that queue and its own idle checks queue
    // are the only ones it receives from or deletes on.
    Map<String, Map<String, Object>> queues =
        template.findResources(
            "AWS::SQS::Queue", Map.of("Properties", Map.of("MessageRetentionPeriod", 86_400)));
    assertThat(queues).as("the change queue").hasSize(1);
    String changeQueue = queues.keySet().iterator().next();
    template.hasResourceProperties(
        "AWS::Events::Rule",
        Match.objectLike(
            Map.of(
                "Targets",
                List.of(
                    Match.objectLike(
                        Map.of("Arn", Map.of("Fn::GetAtt", List.of(changeQueue, "Arn"))))))));
    List<Map<?, ?>> receiving =
        statements(template).stream()
            .filter(st -> st.toString().contains("sqs:ReceiveMessage"))
            .toList();
    String idleChecks =
        template.findResources("AWS::SQS::Queue").keySet().stream()
            .filter(id -> id.contains("IdleChecks") && !id.contains("FailedIdleChecks"))
            .findFirst()
            .orElseThrow();
    assertThat(receiving)
        .as("the statements that receive from a queue")
        .<Object>extracting(st -> st.get("Resource"))
        .containsExactlyInAnyOrder(
            Map.of("Fn::GetAtt", List.of(changeQueue, "Arn")),
            Map.of("Fn::GetAtt", List.of(idleChecks, "Arn")));
    assertThat(statements(template))
        .as("no other statement lets it receive or delete messages")
        .filteredOn(st -> st.toString().contains("sqs:DeleteMessage"))
        .hasSize(2);
    List<Map<?, ?>> ssm =
        statements(template).stream().filter(st -> st.toString().contains("ssm:")).toList();
    assertThat(ssm).as("the statements that name ssm actions").hasSize(1);
    assertThat(ssm.get(0).get("Action")).isEqualTo("ssm:GetParametersByPath");
    assertThat(((List<?>) ssm.get(0).get("Resource")).stream().map(QueueDepthScalerTest::arn))
        .containsExactly(
            "arn:{AWS::Partition}:ssm:{AWS::Region}:{AWS::AccountId}:parameter" + prefix,
            "arn:{AWS::Partition}:ssm:{AWS::Region}:{AWS::AccountId}:parameter" + prefix + "/*");
  }

  /** cdk-nag's errors on the construct's resources (the fixtures' own are not its concern). */
  private static List<String> scalerNagErrors(Stack stack) {
    return ContextValuesTest.nagErrors(stack).stream()
        .filter(
            e ->
                e.contains("/QueueDepthScalerRuntime")
                    || e.contains("/QueueDepthScalerAccess")
                    || e.contains("Scaling/"))
        .toList();
  }

  /** Every statement of every IAM policy of the template. */
  private static List<Map<?, ?>> statements(Template template) {
    return template.findResources("AWS::IAM::Policy").values().stream()
        .map(p -> (Map<?, ?>) ((Map<?, ?>) p.get("Properties")).get("PolicyDocument"))
        .flatMap(d -> ((List<?>) d.get("Statement")).stream())
        .<Map<?, ?>>map(st -> (Map<?, ?>) st)
        .toList();
  }

  /** An ARN built with Fn::Join, as text with each Ref in braces. */
  private static String arn(Object resource) {
    List<?> join = (List<?>) ((Map<?, ?>) resource).get("Fn::Join");
    return ((List<?>) join.get(1))
        .stream()
            .map(
                part ->
                    part instanceof Map<?, ?> ref ? "{" + ref.get("Ref") + "}" : part.toString())
            .collect(Collectors.joining());
  }

  @Test
  void twoStacksWithTheirOwnPrefixesEachReadOnlyTheirOwn() {
    App app = new App();
    Existing a = new Existing(app, "TeamA");
    Existing b = new Existing(app, "TeamB");
    a.scaler("orders").parameterPrefix("/team-a").build();
    b.scaler("orders").parameterPrefix("/team-b/scaler").build();
    Aspects.of(app).add(new AwsSolutionsChecks());

    assertReadsOnly(a.stack, "/team-a", "QueueScaler/team-a");
    assertReadsOnly(b.stack, "/team-b/scaler", "QueueScaler/team-b/scaler");
    assertThat(parameterNames(a.stack)).allMatch(n -> n.startsWith("/team-a/orders/"));
    assertThat(parameterNames(b.stack)).allMatch(n -> n.startsWith("/team-b/scaler/orders/"));
    assertThat(scalerNagErrors(a.stack)).isEmpty();
    assertThat(scalerNagErrors(b.stack)).isEmpty();
  }

  @Test
  void aScalerMayPutItsDecisionEventsOnABusOfItsOwn() {
    Existing app = new Existing(new App(), "Existing");
    EventBus bus = EventBus.Builder.create(app.stack, "TeamABus").eventBusName("team-a").build();
    ScalerRuntime runtime = ScalerRuntime.forPrefix(app.stack, "/team-a", bus);
    app.scaler("orders").runtime(runtime).build();
    Template template = Template.fromStack(app.stack);

    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "SCALER_EVENT_BUS",
                            Map.of("Ref", Match.stringLikeRegexp("TeamABus.*"))))))));
    List<Map<?, ?>> putEvents =
        statements(template).stream()
            .filter(st -> st.toString().contains("events:PutEvents"))
            .toList();
    assertThat(putEvents).hasSize(1);
    assertThat(putEvents.get(0).get("Resource").toString())
        .contains("TeamABus")
        .doesNotContain("event-bus/default");
    assertThatThrownBy(() -> ScalerRuntime.forPrefix(app.stack, "/team-a", otherBus(app.stack)))
        .hasMessageContaining("already puts its decision events on Existing/TeamABus");
  }

  private static EventBus otherBus(Stack stack) {
    return EventBus.Builder.create(stack, "OtherBus").eventBusName("other").build();
  }

  @Test
  void twoStacksOnOnePrefixOrOneInsideTheOtherFailSynthesisNamingTheFirst() {
    App app = new App();
    Existing a = new Existing(app, "TeamA");
    Existing b = new Existing(app, "TeamB");
    a.scaler("orders").parameterPrefix("/platform").build();

    assertThatThrownBy(() -> b.scaler("emails").parameterPrefix("/platform").build())
        .hasMessageContaining("parameterPrefix /platform would share targets with the scaler at")
        .hasMessageContaining("TeamA/QueueDepthScalerRuntime")
        .hasMessageContaining("ScalerRuntime.forPrefix(<its stack>, \"/platform\")");
    assertThatThrownBy(() -> b.scaler("reports").parameterPrefix("/platform/reports").build())
        .hasMessageContaining("parameterPrefix /platform/reports would share targets");
  }

  /**
   * One scaler for targets in several stacks: the targets' stacks refer to the scaler's, which
   * refers to none of them, so they deploy in order (scaler first) without a cycle.
   */
  @Test
  void aSharedScalerActsOnTargetsInOtherStacksThatGrantItAccessThemselves() {
    App app = new App();
    Stack platform = new Stack(app, "Platform");
    ScalerRuntime shared = ScalerRuntime.forPrefix(platform, "/platform");
    Existing orders = new Existing(app, "Orders");
    Existing emails = new Existing(app, "Emails");
    orders.scaler("orders").runtime(shared).build();
    emails.scaler("emails").runtime(shared).build();
    Aspects.of(app).add(new AwsSolutionsChecks());

    app.synth();

    assertThat(parameterNames(orders.stack))
        .containsExactly(
            "/platform/orders/cluster", "/platform/orders/queue-url", "/platform/orders/service");
    Template.fromStack(orders.stack)
        .hasResourceProperties(
            "AWS::IAM::ManagedPolicy",
            Match.objectLike(
                Map.of("Roles", List.of(Map.of("Fn::ImportValue", Match.anyValue())))));
    Template.fromStack(orders.stack).resourceCountIs("AWS::IAM::Policy", 0);
    assertThat(orders.stack.getDependencies()).contains(platform);
    assertThat(platform.getDependencies()).isEmpty();
    assertThat(Template.fromStack(platform).toJSON().toString()).doesNotContain("ImportValue");
    assertReadsOnly(platform, "/platform", "QueueScaler/platform");
    assertThat(scalerNagErrors(platform)).isEmpty();
    assertThat(scalerNagErrors(orders.stack)).isEmpty();
    assertThatThrownBy(
            () -> emails.scaler("reports").runtime(shared).parameterPrefix("/other").build())
        .hasMessageContaining("differs from the runtime's /platform");
  }
}
