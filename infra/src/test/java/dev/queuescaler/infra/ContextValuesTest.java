package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Every context value the stack documents ({@link StackSettings}): set to a value other than its
 * default, it reaches the template and cdk-nag still finds nothing unreviewed; set to a bad value,
 * synthesis fails with a message that names it.
 */
class ContextValuesTest {

  /** Every documented key but vpcId (a lookup, tested on its own), none at its default. */
  static final Map<String, Object> EVERY_VALUE_CHANGED =
      Map.ofEntries(
          Map.entry("targetName", "orders"),
          Map.entry("workerCpu", "1024"),
          Map.entry("workerMemoryMiB", "3072"),
          Map.entry("workerConcurrency", "2"),
          Map.entry("workerShutdownSeconds", "30"),
          Map.entry("maxTasks", "20"),
          Map.entry("backlogPerTask", "50"),
          Map.entry("policy", "backlog-per-task"),
          Map.entry("generatorSchedule", "true"),
          Map.entry("oldestMessageAlarmSeconds", "900"),
          Map.entry("alarmEmail", "ops@example.com"),
          Map.entry("scalerQuotaSharePercent", "60"));

  private static QueueDepthAutoscalerStack stack;
  private static Template template;

  @BeforeAll
  static void synthesizeWithEveryValueChanged() {
    App app = new App(AppProps.builder().context(EVERY_VALUE_CHANGED).build());
    stack = InfraApp.build(app);
    template = Template.fromStack(stack);
  }

  @Test
  void cdkNagFindsNoUnreviewedErrorWithEveryValueChanged() {
    assertThat(nagErrors(stack)).isEmpty();
  }

  @Test
  void theTargetsValuesAreWrittenUnderItsName() {
    Map.of("max-tasks", "20", "backlog-per-task", "50", "policy", "backlog-per-task")
        .forEach(
            (key, value) ->
                template.hasResourceProperties(
                    "AWS::SSM::Parameter",
                    Match.objectLike(
                        Map.of("Name", "/queue-scaler/orders/" + key, "Value", value))));
    template.hasOutput("ParameterPrefix", Map.of("Value", "/queue-scaler/orders"));
  }

  @Test
  void theWorkersSizesConcurrencyAndShutdownBudgetReachItsTask() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Match.objectLike(
            Map.of(
                "Cpu",
                "1024",
                "Memory",
                "3072",
                "ContainerDefinitions",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Name",
                                "Worker",
                                "StopTimeout",
                                50,
                                "Environment",
                                Match.arrayWith(
                                    List.of(
                                        Map.of("Name", "WORKER_CONCURRENCY", "Value", "2"))))))))));
    // Two matches: arrayWith keeps order, and the environment's order is not part of the contract.
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Match.objectLike(
            Map.of(
                "ContainerDefinitions",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Environment",
                                Match.arrayWith(
                                    List.of(
                                        Map.of(
                                            "Name",
                                            "WORKER_SHUTDOWN_SECONDS",
                                            "Value",
                                            "30"))))))))));
    template.hasResourceProperties(
        "AWS::SSM::Parameter",
        Match.objectLike(Map.of("Name", "/queue-scaler/orders/task-concurrency", "Value", "20")));
  }

  @Test
  void theGeneratorScheduleAlarmThresholdEmailAndQuotaShareTakeTheirValues() {
    template.resourceCountIs("AWS::Scheduler::Schedule", 2);
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("MetricName", "ApproximateAgeOfOldestMessage", "Threshold", 900)));
    template.hasResourceProperties(
        "AWS::SNS::Topic",
        Match.objectLike(
            Map.of(
                "Subscription",
                List.of(Map.of("Protocol", "email", "Endpoint", "ops@example.com")))));
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                ScalerRuntime.HANDLER,
                "Environment",
                Map.of(
                    "Variables", Match.objectLike(Map.of("SCALER_QUOTA_SHARE_PERCENT", "60"))))));
  }

  @Test
  void theGeneratorSchedulesRoleMayInvokeTheGeneratorAndNothingElse() {
    Map<String, Map<String, Object>> policies =
        template.findResources(
            "AWS::IAM::Policy",
            Map.of(
                "Properties",
                Map.of(
                    "PolicyName",
                    Match.stringLikeRegexp("GeneratorEveryMinuteRoleDefaultPolicy.*"))));

    assertThat(policies).hasSize(1);
    String document = policies.values().iterator().next().toString();
    assertThat(document)
        .contains("Action=lambda:InvokeFunction")
        .contains("GeneratorFunction")
        .doesNotContain(":*");
  }

  /**
   * vpcId: the CLI looks the VPC up, stores the answer in the context and synthesizes again; here
   * the answer is an existing VPC with private subnets that reach out through NAT.
   */
  @Test
  void vpcIdPutsTheWorkerInTheExistingVpcsPrivateSubnetsWithoutANewNetwork() {
    Map<String, String> environment =
        Map.of("CDK_DEFAULT_ACCOUNT", "123456789012", "CDK_DEFAULT_REGION", "us-east-1");
    App lookup = new App(AppProps.builder().context(Map.of("vpcId", "vpc-0abc1234")).build());
    InfraApp.build(lookup, environment);
    String lookupKey = lookup.synth().getManifest().getMissing().get(0).getKey();
    Map<String, Object> context = new HashMap<>();
    context.put("vpcId", "vpc-0abc1234");
    context.put(
        lookupKey,
        Map.of(
            "vpcId",
            "vpc-0abc1234",
            "vpcCidrBlock",
            "10.0.0.0/16",
            "availabilityZones",
            List.of(),
            "subnetGroups",
            List.of(
                Map.of(
                    "name",
                    "Private",
                    "type",
                    "Private",
                    "subnets",
                    List.of(
                        subnet("subnet-0a", "10.0.1.0/24", "us-east-1a"),
                        subnet("subnet-0b", "10.0.2.0/24", "us-east-1b"))))));
    QueueDepthAutoscalerStack existing =
        InfraApp.build(new App(AppProps.builder().context(context).build()), environment);
    Template inExisting = Template.fromStack(existing);

    inExisting.resourceCountIs("AWS::EC2::VPC", 0);
    inExisting.hasResourceProperties(
        "AWS::ECS::Service",
        Match.objectLike(
            Map.of(
                "NetworkConfiguration",
                Map.of(
                    "AwsvpcConfiguration",
                    Match.objectLike(
                        Map.of(
                            "AssignPublicIp",
                            "DISABLED",
                            "Subnets",
                            List.of("subnet-0a", "subnet-0b")))))));
    assertThat(nagErrors(existing)).isEmpty();
  }

  private static Map<String, Object> subnet(String id, String cidr, String zone) {
    return Map.of(
        "subnetId", id, "cidr", cidr, "availabilityZone", zone, "routeTableId", "rtb-" + id);
  }

  /** JSON types as cdk.json gives them, beside the strings of {@code -c key=value}. */
  @Test
  void cdkJsonsNumbersAndBooleansAreTakenAsTheyAre() {
    StackSettings settings =
        StackSettings.fromContext(
            new App(
                    AppProps.builder()
                        .context(
                            Map.of(
                                "maxTasks", 20, "generatorSchedule", true, "backlogPerTask", 40.0))
                        .build())
                .getNode());

    assertThat(settings.maxTasks()).isEqualTo(20);
    assertThat(settings.generatorSchedule()).isTrue();
    assertThat(settings.backlogPerTask()).isEqualTo(40);
  }

  /**
   * A shell's quoting can leave spaces around a value ({@code -c policy=" backlog-per-task"}):
   * every value is taken without them, the same for text, numbers, booleans and choices.
   */
  @Test
  void spacesAroundAnyValueAreIgnored() {
    StackSettings settings =
        StackSettings.fromContext(
            new App(
                    AppProps.builder()
                        .context(
                            Map.of(
                                "policy", " backlog-per-task",
                                "targetName", "orders ",
                                "maxTasks", " 20",
                                "generatorSchedule", " true"))
                        .build())
                .getNode());

    assertThat(settings.policy())
        .isEqualTo(dev.queuescaler.scaler.policy.ScalingFormula.BACKLOG_PER_TASK);
    assertThat(settings.targetName()).isEqualTo("orders");
    assertThat(settings.maxTasks()).isEqualTo(20);
    assertThat(settings.generatorSchedule()).isTrue();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("targetName", "no spaces", "context targetName must match"),
        Arguments.of("targetName", "..", "context targetName must match"),
        Arguments.of("maxTasks", "1e1", "context maxTasks must be an integer but was \"1e1\""),
        Arguments.of("maxTasks", "10.0", "context maxTasks must be an integer but was \"10.0\""),
        Arguments.of("maxTasks", "+10", "context maxTasks must be an integer but was \"+10\""),
        Arguments.of("workerCpu", "300", "context workerCpu must be a Fargate CPU size"),
        Arguments.of("workerCpu", "big", "context workerCpu must be an integer"),
        Arguments.of("workerMemoryMiB", "100", "context workerMemoryMiB must be"),
        Arguments.of("workerConcurrency", "0", "context workerConcurrency must be between 1"),
        Arguments.of(
            "workerShutdownSeconds", "500", "context workerShutdownSeconds must be between 1"),
        Arguments.of("maxTasks", "0", "context maxTasks must be between 1 and 5000"),
        Arguments.of("maxTasks", 1.5, "context maxTasks must be an integer but was 1.5"),
        Arguments.of("maxTasks", 3_000_000_000L, "context maxTasks must be an integer"),
        Arguments.of("backlogPerTask", "lots", "context backlogPerTask must be an integer"),
        Arguments.of(
            "policy",
            "fastest",
            "context policy must be one of backlog-per-task, backlog-and-load"),
        Arguments.of("generatorSchedule", "yes", "context generatorSchedule must be true or false"),
        Arguments.of("generatorSchedule", 1, "context generatorSchedule must be true or false"),
        Arguments.of(
            "oldestMessageAlarmSeconds", "10", "context oldestMessageAlarmSeconds must be between"),
        Arguments.of("alarmEmail", "ops-at-example.com", "context alarmEmail must be one email"),
        Arguments.of("alarmEmail", "ops@localhost", "context alarmEmail must be one email"),
        Arguments.of(
            "alarmEmail", "a@example.com,b@example.com", "context alarmEmail must be one email"),
        Arguments.of(
            "scalerQuotaSharePercent", "101", "context scalerQuotaSharePercent must be between"),
        Arguments.of("vpcId", "my-vpc", "context vpcId must be a VPC id"));
  }

  @ParameterizedTest(name = "-c {0}={1} fails synthesis naming it")
  @MethodSource("badValues")
  void aBadValueFailsSynthesisNamingItsKey(String key, Object value, String message) {
    Map<String, Object> context = new HashMap<>();
    context.put(key, value);
    App app = new App(AppProps.builder().context(context).build());

    assertThatThrownBy(() -> InfraApp.build(app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  /** cdk-nag's errors on {@code stack}, each as its path and message. */
  static List<String> nagErrors(software.amazon.awscdk.Stack stack) {
    return Annotations.fromStack(stack)
        .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
        .stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData())
        .toList();
  }
}
