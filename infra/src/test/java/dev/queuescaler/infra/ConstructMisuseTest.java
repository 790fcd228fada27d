package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateServiceAttributes;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.sqs.Queue;

/** The construct in someone else's app, used in ways it does not expect. */
class ConstructMisuseTest {

  private static Cluster cluster(Stack stack) {
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
    return Cluster.Builder.create(stack, "Cluster").vpc(vpc).build();
  }

  private static FargateService.Builder service(Stack stack, Cluster cluster, String name) {
    FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, name + "Task").build();
    task.addContainer(
        "app",
        ContainerDefinitionOptions.builder()
            .image(ContainerImage.fromRegistry("public/app:1"))
            .build());
    return FargateService.Builder.create(stack, name + "Service")
        .cluster(cluster)
        .taskDefinition(task);
  }

  private static QueueDepthScaler.Builder scaler(
      Stack stack, String id, String targetName, FargateService service) {
    return QueueDepthScaler.Builder.create(stack, id)
        .targetName(targetName)
        .queue(Queue.Builder.create(stack, id + "Queue").build())
        .service(service);
  }

  /**
   * Two targets with one name under one prefix write the same SSM parameter names twice: synthesis
   * passes, cdk-nag passes, and CloudFormation fails the deploy on the second parameter. The props
   * document the name as "unique per prefix"; it should fail synthesis naming it.
   */
  @Test
  void twoTargetsWithOneNameInOneStackFailSynthesisNamingIt() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Cluster cluster = cluster(stack);
    scaler(stack, "OrdersScaling", "orders", service(stack, cluster, "a").build()).build();

    assertThatThrownBy(
            () -> {
              scaler(stack, "MoreOrdersScaling", "orders", service(stack, cluster, "b").build())
                  .build();
              app.synth();
            })
        .hasMessageContaining("orders");
  }

  /** The same with a scaler shared by two stacks: each stack writes /platform/orders/... */
  @Test
  void twoTargetsWithOneNameOnASharedScalerFailSynthesisNamingIt() {
    App app = new App();
    ScalerRuntime shared = ScalerRuntime.forPrefix(new Stack(app, "Platform"), "/platform");
    Stack a = new Stack(app, "A");
    Stack b = new Stack(app, "B");
    scaler(a, "OrdersScaling", "orders", service(a, cluster(a), "a").build())
        .runtime(shared)
        .build();

    assertThatThrownBy(
            () -> {
              scaler(b, "OrdersScaling", "orders", service(b, cluster(b), "b").build())
                  .runtime(shared)
                  .build();
              app.synth();
            })
        .hasMessageContaining("orders");
  }

  /**
   * A service imported from its attributes (cluster and name) in an app without the feature flag
   * {@code @aws-cdk/aws-ecs:arnFormatIncludesClusterName} (the IT's OrdersApp has none): the grant
   * names {@code service/orders}, the old ARN format, while ECS names services {@code
   * service/<cluster>/orders}. ecs:DescribeServices and ecs:UpdateService are then denied at run
   * time, every minute, though synthesis and cdk-nag pass. The construct knows the cluster.
   */
  @Test
  void aServiceImportedFromItsAttributesIsGrantedUnderItsClusterQualifiedArn() {
    App app = new App();
    Stack stack =
        new Stack(
            app,
            "Apps",
            StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build())
                .build());
    Cluster cluster = cluster(stack);
    var imported =
        FargateService.fromFargateServiceAttributes(
            stack,
            "Imported",
            FargateServiceAttributes.builder().cluster(cluster).serviceName("orders").build());
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.Builder.create(stack, "Orders").build())
        .service(imported)
        .build();

    String policies =
        Template.fromStack(stack).findResources("AWS::IAM::ManagedPolicy").values().toString();
    assertThat(policies).contains("ecs:UpdateService");
    assertThat(policies)
        .as("the ECS grant is on service/<cluster>/orders, not only service/orders")
        .doesNotContain(":ecs:eu-west-1:123456789012:service/orders]");
  }

  /**
   * README step 2: a desiredCount in the template, or an Application Auto Scaling policy, would
   * overwrite the scaler's count. The construct can see both on a FargateService it is given and
   * accepts them silently; it should fail synthesis (or at least warn) naming the conflict.
   */
  @Test
  void aServiceWithADesiredCountIsNotAcceptedSilently() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Cluster cluster = cluster(stack);
    FargateService service = service(stack, cluster, "a").desiredCount(3).build();

    assertConflictReported(
        app, stack, () -> scaler(stack, "OrdersScaling", "orders", service).build());
  }

  @Test
  void aServiceWithItsOwnAutoScalingIsNotAcceptedSilently() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Cluster cluster = cluster(stack);
    FargateService service = service(stack, cluster, "a").build();
    service
        .autoScaleTaskCount(EnableScalingProps.builder().maxCapacity(5).build())
        .scaleOnCpuUtilization(
            "Cpu", CpuUtilizationScalingProps.builder().targetUtilizationPercent(50).build());

    assertConflictReported(
        app, stack, () -> scaler(stack, "OrdersScaling", "orders", service).build());
  }

  private static void assertConflictReported(App app, Stack stack, Runnable build) {
    try {
      build.run();
      app.synth();
    } catch (RuntimeException rejected) {
      return;
    }
    var reported =
        new java.util.ArrayList<>(
            Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*")));
    reported.addAll(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp(".*")));
    assertThat(
            reported.stream()
                .map(m -> String.valueOf(m.getEntry().getData()))
                .filter(d -> d.contains("QueueDepthScaler") || d.contains("scaler"))
                .toList())
        .as("an error or warning about the service's own count or scaling")
        .isNotEmpty();
  }

  private static Stack stackIn(App app, String id, String account, String region) {
    return new Stack(
        app,
        id,
        StackProps.builder()
            .env(Environment.builder().account(account).region(region).build())
            .build());
  }

  /**
   * The scaler calls ECS in its own account and region only (its clients take the Lambda's region,
   * and ECS has no cross-account access). A service imported from another region or account
   * synthesized and deployed, and then every cycle failed: ServiceNotFound, or AccessDenied on a
   * grant CDK had re-homed to the stack's region ({@code fromFargateServiceArn} drops the ARN's
   * account and region).
   */
  @Test
  void aServiceInAnotherRegionOrAccountThanItsScalerFailsSynthesisNamingBoth() {
    App app = new App();
    Stack stack = stackIn(app, "Apps", "111111111111", "eu-west-1");
    Cluster cluster = cluster(stack);
    var inAnotherRegion =
        BaseService.fromServiceArnWithCluster(
            stack, "Elsewhere", "arn:aws:ecs:us-east-1:111111111111:service/apps/orders");
    var inAnotherAccount =
        FargateService.fromFargateServiceArn(
            stack, "OtherAccount", "arn:aws:ecs:eu-west-1:222222222222:service/apps/emails");

    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(stack, "OrdersScaling")
                    .targetName("orders")
                    .queue(Queue.Builder.create(stack, "Orders").build())
                    .service(inAnotherRegion)
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.service")
        .hasMessageContaining("us-east-1")
        .hasMessageContaining("eu-west-1");
    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(stack, "EmailsScaling")
                    .targetName("emails")
                    .queue(Queue.Builder.create(stack, "Emails").build())
                    .service(inAnotherAccount)
                    .cluster(cluster)
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.service")
        .hasMessageContaining("222222222222")
        .hasMessageContaining("111111111111");
  }

  /**
   * The scaler's SQS client sends GetQueueAttributes to its own region whatever the queue URL
   * names, and SQS answers that the queue does not exist: every cycle, after a clean synthesis.
   */
  @Test
  void aQueueInAnotherRegionThanItsScalerFailsSynthesisNamingBoth() {
    App app = new App();
    Stack stack = stackIn(app, "Apps", "111111111111", "eu-west-1");
    FargateService service = service(stack, cluster(stack), "a").build();

    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(stack, "OrdersScaling")
                    .targetName("orders")
                    .queue(
                        Queue.fromQueueArn(
                            stack, "Elsewhere", "arn:aws:sqs:us-east-1:111111111111:orders"))
                    .service(service)
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.queue")
        .hasMessageContaining("us-east-1")
        .hasMessageContaining("eu-west-1");
  }

  /**
   * A queue of another account in the scaler's region is reachable once its owner's queue policy
   * allows the scaler's role, and an env-agnostic stack cannot tell: both still synthesize.
   */
  @Test
  void aQueueOfAnotherAccountInTheRegionAndImportsIntoAnEnvAgnosticStackAreAccepted() {
    App app = new App();
    Stack stack = stackIn(app, "Apps", "111111111111", "eu-west-1");
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.fromQueueArn(stack, "Shared", "arn:aws:sqs:eu-west-1:222222222222:orders"))
        .service(service(stack, cluster(stack), "a").build())
        .build();
    Stack agnostic = new Stack(new App(), "Agnostic");
    QueueDepthScaler.Builder.create(agnostic, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.fromQueueArn(agnostic, "Q", "arn:aws:sqs:us-east-1:222222222222:orders"))
        .service(
            BaseService.fromServiceArnWithCluster(
                agnostic, "S", "arn:aws:ecs:us-east-1:222222222222:service/apps/orders"))
        .build();

    assertThat(Template.fromStack(stack).findResources("AWS::SSM::Parameter")).hasSize(3);
    assertThat(Template.fromStack(agnostic).findResources("AWS::SSM::Parameter")).hasSize(3);
  }

  /**
   * A service imported by its ARN needs {@code cluster}, and the docs say any cluster but the
   * service's own is rejected. The ARN names it ({@code service/apps/orders}); a cluster of another
   * name was accepted, written to {@code cluster}, and ECS then found no such service there, every
   * cycle.
   */
  @Test
  void aClusterOtherThanTheOneTheServicesArnNamesFailsSynthesisNamingBoth() {
    App app = new App();
    Stack stack = stackIn(app, "Apps", "111111111111", "eu-west-1");
    var imported =
        FargateService.fromFargateServiceArn(
            stack, "Imported", "arn:aws:ecs:eu-west-1:111111111111:service/apps/orders");
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();

    assertThatThrownBy(
            () ->
                QueueDepthScaler.Builder.create(stack, "OrdersScaling")
                    .targetName("orders")
                    .queue(Queue.Builder.create(stack, "Orders").build())
                    .service(imported)
                    .cluster(
                        Cluster.fromClusterAttributes(
                            stack,
                            "Batch",
                            ClusterAttributes.builder().clusterName("batch").vpc(vpc).build()))
                    .build())
        .hasMessageContaining("QueueDepthScalerProps.cluster")
        .hasMessageContaining("batch")
        .hasMessageContaining("apps");
    QueueDepthScaler.Builder.create(stack, "SameClusterScaling")
        .targetName("orders")
        .queue(Queue.Builder.create(stack, "Orders2").build())
        .service(imported)
        .cluster(
            Cluster.fromClusterAttributes(
                stack, "Apps", ClusterAttributes.builder().clusterName("apps").vpc(vpc).build()))
        .build();
  }

  /**
   * One service given to two targets under one prefix synthesized and deployed; the scaler then
   * refused both (neither had it before), and the service was never scaled: each target held with
   * CONFIG_INVALID every cycle.
   */
  @Test
  void oneServiceGivenToTwoTargetsFailsSynthesisNamingBoth() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    FargateService service = service(stack, cluster(stack), "a").build();
    scaler(stack, "OrdersScaling", "orders", service).build();

    assertThatThrownBy(
            () -> {
              scaler(stack, "OrdersAgainScaling", "orders-again", service).build();
              app.synth();
            })
        .hasMessageContaining("Apps/OrdersScaling")
        .hasMessageContaining("Apps/OrdersAgainScaling");
  }

  /**
   * Under two prefixes it is worse: two scalers, neither seeing the other's target, both set the
   * service's desired count every minute, each from its own formula.
   */
  @Test
  void oneServiceGivenToTargetsOfTwoScalersFailsSynthesisNamingBoth() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    FargateService service = service(stack, cluster(stack), "a").build();
    scaler(stack, "TeamAScaling", "orders", service).parameterPrefix("/team-a").build();

    assertThatThrownBy(
            () -> {
              scaler(stack, "TeamBScaling", "orders", service).parameterPrefix("/team-b").build();
              app.synth();
            })
        .hasMessageContaining("Apps/TeamAScaling")
        .hasMessageContaining("Apps/TeamBScaling");
  }

  /**
   * A mistyped context key ({@code -c maxTask=20}) is ignored: the stack deploys max-tasks 10 and
   * synthesis passes, while the docs say "a bad value fails with a message that names its key".
   */
  @Test
  void anUnknownContextKeyFailsSynthesisNamingIt() {
    App app = new App(AppProps.builder().context(Map.of("maxTask", "20")).build());

    assertThatThrownBy(() -> InfraApp.build(app)).hasMessageContaining("maxTask");
  }
}
