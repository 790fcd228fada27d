package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.ParameterKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.sqs.Queue;

class PropsValidationTest {

  @Test
  void tunablesTakeTheLoadTermOnceTheWorkerIsKnownAndTheChosenFormulasDefaults() {
    Map<ParameterKey, String> unknownWorker = ScalerTunables.defaults().values();
    Map<ParameterKey, String> knownWorker =
        ScalerTunables.defaults().with(ParameterKey.TASK_CONCURRENCY, 40).values();
    Map<ParameterKey, String> missionChosen =
        ScalerTunables.defaults()
            .with(ParameterKey.TASK_CONCURRENCY, 40)
            .with(ParameterKey.POLICY, "backlog-per-task")
            .values();

    // Without the worker's concurrency the scaler runs the mission formula, so that is written.
    assertThat(unknownWorker)
        .containsEntry(ParameterKey.POLICY, "backlog-per-task")
        .containsEntry(ParameterKey.TASK_CONCURRENCY, "0")
        .containsEntry(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, "300")
        .containsEntry(ParameterKey.SCALE_TOLERANCE_PERCENT, "0");
    assertThat(knownWorker)
        .containsEntry(ParameterKey.POLICY, "backlog-and-load")
        .containsEntry(ParameterKey.TASK_CONCURRENCY, "40")
        .containsEntry(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, "210")
        .containsEntry(ParameterKey.SCALE_TOLERANCE_PERCENT, "20")
        .containsEntry(ParameterKey.TARGET_UTILIZATION_PERCENT, "120");
    assertThat(missionChosen)
        .containsEntry(ParameterKey.POLICY, "backlog-per-task")
        .containsEntry(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, "300")
        .containsEntry(ParameterKey.SCALE_TOLERANCE_PERCENT, "0");
  }

  @Test
  void tunablesRejectWhatTheScalerWouldReject() {
    assertThatThrownBy(() -> ScalerTunables.defaults().with(ParameterKey.BACKLOG_PER_TASK, 0))
        .hasMessageContaining("backlog-per-task must be >= 1 but was 0");
    assertThatThrownBy(() -> ScalerTunables.defaults().with(ParameterKey.MIN_TASKS, 20))
        .hasMessageContaining("min-tasks (20) must not be above max-tasks (10)");
    assertThatThrownBy(
            () -> ScalerTunables.defaults().with(ParameterKey.POLICY, "backlog-and-load"))
        .hasMessageContaining("needs task-concurrency");
    assertThatThrownBy(() -> ScalerTunables.defaults().with(ParameterKey.POLICY, "kpa"))
        .hasMessageContaining("must be one of");
    assertThatThrownBy(
            () -> ScalerTunables.defaults().with(ParameterKey.TARGET_UTILIZATION_PERCENT, 201))
        .hasMessageContaining("1-200");
    assertThatThrownBy(() -> ScalerTunables.defaults().with(ParameterKey.DRY_RUN, "yes"))
        .hasMessageContaining("dry-run must be true or false");
    assertThatThrownBy(() -> ScalerTunables.defaults().with(ParameterKey.QUEUE_URL, "x"))
        .hasMessageContaining("queue-url is set by the construct");
  }

  /** The construct added to an existing app: two services, one shared scaler. */
  @Test
  void twoTargetsInOneStackShareOneScalerFunctionScheduleAndTable() {
    App app = new App();
    Stack stack = new Stack(app, "Existing");
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
    Cluster cluster = Cluster.Builder.create(stack, "Cluster").vpc(vpc).build();
    for (String name : new String[] {"orders", "emails"}) {
      Queue queue = Queue.Builder.create(stack, name + "Queue").build();
      FargateTaskDefinition task =
          FargateTaskDefinition.Builder.create(stack, name + "Task").build();
      task.addContainer(
          "app",
          ContainerDefinitionOptions.builder()
              .image(ContainerImage.fromRegistry("public/app:1"))
              .build());
      FargateService service =
          FargateService.Builder.create(stack, name + "Service")
              .cluster(cluster)
              .taskDefinition(task)
              .build();
      new QueueDepthScaler(
          stack,
          name + "Scaling",
          new QueueDepthScalerProps(
              name,
              queue,
              cluster,
              service,
              ScalerTunables.defaults().with(ParameterKey.MAX_TASKS, 20)));
    }
    Template template = Template.fromStack(stack);

    template.resourceCountIs("AWS::Lambda::Function", 1);
    template.resourceCountIs("AWS::Scheduler::Schedule", 1);
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    template.resourceCountIs("AWS::SSM::Parameter", 2 * ParameterKey.values().length);
    template.hasResourceProperties(
        "AWS::SSM::Parameter",
        software.amazon.awscdk.assertions.Match.objectLike(
            Map.of("Name", "/queue-scaler/emails/max-tasks", "Value", "20")));
  }

  @Test
  void aBadTargetNameIsRejectedByTheProps() {
    App app = new App();
    Stack stack = new Stack(app, "S");
    Queue queue = Queue.Builder.create(stack, "Q").build();
    Cluster cluster =
        Cluster.Builder.create(stack, "C")
            .vpc(Vpc.Builder.create(stack, "V").maxAzs(1).natGateways(0).build())
            .build();
    FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, "T").build();
    task.addContainer(
        "app",
        ContainerDefinitionOptions.builder()
            .image(ContainerImage.fromRegistry("public/app:1"))
            .build());
    FargateService service =
        FargateService.Builder.create(stack, "Svc").cluster(cluster).taskDefinition(task).build();

    assertThatThrownBy(
            () ->
                new QueueDepthScalerProps(
                    "a/b", queue, cluster, service, ScalerTunables.defaults()))
        .hasMessageContaining("QueueDepthScalerProps.targetName must match");
    assertThat(
            new QueueDepthScalerProps("ok", queue, cluster, service, ScalerTunables.defaults())
                .targetName())
        .isEqualTo("ok");
  }
}
