package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.telemetry.TracingChoice;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
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
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.ssm.StringParameter;

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

  /**
   * A service imported by an ARN that is a token (an export of another app, an SSM value), in an
   * app without {@code @aws-cdk/aws-ecs:arnFormatIncludesClusterName} (the IT's OrdersApp has
   * none): CDK takes element 1 of {@code service/<cluster>/<name>} as the service's name, which is
   * the cluster. The target's {@code service} parameter and the grant named the cluster; the scaler
   * never found the service, while synthesis and cdk-nag passed. The name is element 2.
   */
  @Test
  void aServiceImportedByATokenArnIsWrittenUnderItsServiceNameNotItsClusterName() throws Exception {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
    var imported =
        FargateService.fromFargateServiceArn(
            stack, "Imported", Fn.importValue("orders-service-arn"));
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.Builder.create(stack, "Orders").build())
        .service(imported)
        .cluster(
            Cluster.fromClusterAttributes(
                stack, "Apps", ClusterAttributes.builder().clusterName("apps").vpc(vpc).build()))
        .build();

    Map<String, Object> serviceName =
        Map.of(
            "Fn::Select",
            List.of(
                2,
                Map.of(
                    "Fn::Split",
                    List.of(
                        "/",
                        Map.of(
                            "Fn::Select",
                            List.of(
                                5,
                                Map.of(
                                    "Fn::Split",
                                    List.of(
                                        ":",
                                        Map.of("Fn::ImportValue", "orders-service-arn")))))))));
    Template template = Template.fromStack(stack);
    template.hasResourceProperties(
        "AWS::SSM::Parameter",
        Map.of("Name", "/queue-scaler/orders/service", "Value", serviceName));
    String policies =
        new ObjectMapper().writeValueAsString(template.findResources("AWS::IAM::ManagedPolicy"));
    assertThat(policies)
        .as("the ECS grant is on service/apps/<the ARN's third part>")
        .contains("\":service/apps/\"," + new ObjectMapper().writeValueAsString(serviceName));
  }

  /**
   * An ARN that mixes text and tokens ({@code "arn:" + Aws.PARTITION + ...}, or {@code
   * stack.formatArn}) in an env-agnostic stack without the ARN-format flag: CDK splits its literal
   * resource part and takes {@code apps/orders}, cluster and name, as the service's name. The
   * target's {@code service} parameter said {@code apps/orders} and the grant named {@code
   * service/apps/apps/orders}: the scaler never found the service. A service name has no {@code /}:
   * the name is what follows the last one.
   */
  @Test
  void aServiceImportedByAnArnOfTextAndTokensIsWrittenAndGrantedUnderItsOwnName() throws Exception {
    for (java.util.function.Function<Stack, String> arn :
        List.<java.util.function.Function<Stack, String>>of(
            stack ->
                "arn:"
                    + Aws.PARTITION
                    + ":ecs:"
                    + Aws.REGION
                    + ":"
                    + Aws.ACCOUNT_ID
                    + ":service/apps/orders",
            stack ->
                stack.formatArn(
                    ArnComponents.builder()
                        .service("ecs")
                        .resource("service")
                        .resourceName("apps/orders")
                        .build()))) {
      App app = new App();
      Stack stack = new Stack(app, "Apps");
      Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
      QueueDepthScaler.Builder.create(stack, "OrdersScaling")
          .targetName("orders")
          .queue(Queue.Builder.create(stack, "Orders").build())
          .service(FargateService.fromFargateServiceArn(stack, "Imported", arn.apply(stack)))
          .cluster(
              Cluster.fromClusterAttributes(
                  stack, "Apps", ClusterAttributes.builder().clusterName("apps").vpc(vpc).build()))
          .build();

      Template template = Template.fromStack(stack);
      template.hasResourceProperties(
          "AWS::SSM::Parameter", Map.of("Name", "/queue-scaler/orders/service", "Value", "orders"));
      String policies =
          new ObjectMapper()
              .writeValueAsString(
                  List.of(
                      template.findResources("AWS::IAM::Policy"),
                      template.findResources("AWS::IAM::ManagedPolicy")));
      assertThat(policies)
          .as("the ECS grant is on service/apps/orders")
          .contains(":service/apps/orders\"")
          .doesNotContain("apps/apps");
    }
  }

  /**
   * The scaler refuses two targets on one service. The same service imported by an ARN of text and
   * tokens and from its attributes was two services to the construct ({@code apps/apps/orders} and
   * {@code apps/orders}): both deployed, and the scaler refused both every cycle.
   */
  @Test
  void oneServiceImportedByAnArnOfTextAndTokensAndByItsNameForTwoTargetsFailsSynthesis() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(1).natGateways(0).build();
    var apps =
        Cluster.fromClusterAttributes(
            stack, "Apps", ClusterAttributes.builder().clusterName("apps").vpc(vpc).build());
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.Builder.create(stack, "Orders").build())
        .service(
            FargateService.fromFargateServiceArn(
                stack,
                "ImportedByArn",
                "arn:"
                    + Aws.PARTITION
                    + ":ecs:"
                    + Aws.REGION
                    + ":"
                    + Aws.ACCOUNT_ID
                    + ":service/apps/orders"))
        .cluster(apps)
        .build();

    assertThatThrownBy(
            () -> {
              QueueDepthScaler.Builder.create(stack, "OrdersAgainScaling")
                  .targetName("orders-again")
                  .queue(Queue.Builder.create(stack, "OrdersAgain").build())
                  .service(
                      FargateService.fromFargateServiceAttributes(
                          stack,
                          "ImportedByName",
                          FargateServiceAttributes.builder()
                              .cluster(apps)
                              .serviceName("orders")
                              .build()))
                  .build();
              app.synth();
            })
        .hasMessageContaining("Apps/OrdersScaling")
        .hasMessageContaining("Apps/OrdersAgainScaling");
  }

  /**
   * The rule for a token ARN takes its name from the ARN only: a service imported from its
   * attributes keeps the name it was given, a token too, in an env-agnostic stack (whose formatted
   * ARN is a token as well).
   */
  @Test
  void aServiceImportedFromAttributesWithATokenNameKeepsThatName() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    Cluster cluster = cluster(stack);
    var imported =
        FargateService.fromFargateServiceAttributes(
            stack,
            "Imported",
            FargateServiceAttributes.builder()
                .cluster(cluster)
                .serviceName(Fn.importValue("orders-service-name"))
                .build());
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(Queue.Builder.create(stack, "Orders").build())
        .service(imported)
        .build();

    Template.fromStack(stack)
        .hasResourceProperties(
            "AWS::SSM::Parameter",
            Map.of(
                "Name",
                "/queue-scaler/orders/service",
                "Value",
                Map.of("Fn::ImportValue", "orders-service-name")));
  }

  /**
   * cdk init's defaults include {@code @aws-cdk/core:enablePartitionLiterals}: with an explicit
   * account and region, ARNs carry the region's partition ({@code arn:aws:}, {@code arn:aws-iso:},
   * ...) instead of {@code <AWS::Partition>}, and the construct's reviewed suppressions no longer
   * matched: cdk-nag reported AwsSolutions-IAM5 on the prefix's wildcard, an error in the user's
   * app from the construct. The first fix took aws, aws-cn and aws-us-gov only; AWS has more.
   */
  @Test
  void anAppWithPartitionLiteralsSeesNoNagErrorFromTheConstruct() {
    Map<String, List<String>> errors = new java.util.LinkedHashMap<>();
    Map<String, String> partitions =
        Map.of(
            "eu-west-1", "aws",
            "us-iso-east-1", "aws-iso",
            "us-isob-east-1", "aws-iso-b",
            "eu-isoe-west-1", "aws-iso-e",
            "us-isof-south-1", "aws-iso-f",
            "eusc-de-east-1", "aws-eusc");
    for (String region : partitions.keySet()) {
      App app =
          new App(
              AppProps.builder()
                  .context(Map.of("@aws-cdk/core:enablePartitionLiterals", true))
                  .build());
      Stack stack = stackIn(app, "Orders", "123456789012", region);
      scaler(stack, "OrdersScaling", "orders", service(stack, cluster(stack), "orders").build())
          .build();
      Aspects.of(app).add(new AwsSolutionsChecks());
      app.synth();

      assertThat(Template.fromStack(stack).toJSON().toString())
          .as(region + "'s ARNs carry its partition")
          .contains(
              "arn:" + partitions.get(region) + ":ssm:" + region + ":123456789012:parameter/");
      errors.put(
          region,
          ContextValuesTest.nagErrors(stack).stream()
              .filter(e -> e.contains("/QueueDepthScalerRuntime/") || e.contains("/OrdersScaling/"))
              .toList());
    }

    assertThat(errors).allSatisfy((region, found) -> assertThat(found).as(region).isEmpty());
  }

  /**
   * The suppression takes any partition, and only the scaler's prefix after it: a wildcard of the
   * app's own on the scaler's role, on another prefix or another service, is still reported.
   */
  @Test
  void theScalersPrefixSuppressionCoversNoOtherWildcardInAnyPartition() {
    App app =
        new App(
            AppProps.builder()
                .context(Map.of("@aws-cdk/core:enablePartitionLiterals", true))
                .build());
    Stack stack = stackIn(app, "Orders", "123456789012", "us-iso-east-1");
    QueueDepthScaler scaler =
        scaler(stack, "OrdersScaling", "orders", service(stack, cluster(stack), "orders").build())
            .build();
    scaler
        .runtime()
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("ssm:GetParametersByPath", "s3:GetObject"))
                .resources(
                    List.of(
                        "arn:aws-iso:ssm:us-iso-east-1:123456789012:parameter/other/*",
                        "arn:aws-iso:s3:::queue-scaler/*"))
                .build());
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();

    assertThat(String.join("\n", ContextValuesTest.nagErrors(stack)))
        .contains(
            "AwsSolutions-IAM5[Resource::arn:aws-iso:ssm:us-iso-east-1:123456789012:parameter/other/*]")
        .contains("AwsSolutions-IAM5[Resource::arn:aws-iso:s3:::queue-scaler/*]")
        .doesNotContain("parameter/queue-scaler/*]");
  }

  /**
   * Lambda takes a layer of the function's own region only. An ADOT layer of us-east-1 on the
   * scaler of a eu-west-1 stack synthesized and failed the deploy; both regions are known here.
   * (Given in code since the construct reads no context; the reproduction gave it by context.)
   */
  @Test
  void anOtelLayerOfAnotherRegionThanTheScalerIsRejected() {
    App app = new App();
    Stack stack = stackIn(app, "Orders", "123456789012", "eu-west-1");
    FargateService service = service(stack, cluster(stack), "orders").build();

    assertThatThrownBy(
            () -> {
              scaler(stack, "OrdersScaling", "orders", service)
                  .telemetry(
                      TelemetrySettings.otel(
                          "arn:aws:lambda:us-east-1:901920570463:layer:aws-otel-collector:1"))
                  .build();
              app.synth();
            })
        .hasMessageContaining("us-east-1")
        .hasMessageContaining("eu-west-1")
        .hasMessageContaining("otelLambdaLayerArn");

    Stack sameRegion = stackIn(new App(), "Orders", "123456789012", "eu-west-1");
    scaler(
            sameRegion,
            "OrdersScaling",
            "orders",
            service(sameRegion, cluster(sameRegion), "orders").build())
        .telemetry(
            TelemetrySettings.otel(
                "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector:1"))
        .build();
    Template.fromStack(sameRegion)
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Map.of(
                "Layers",
                List.of("arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector:1")));
  }

  /**
   * Now that the settings are given in code, the layer's ARN may come from the deploy: an SSM
   * parameter or a CfnParameter. TelemetrySettings.otel rejected such a token, whose text is not an
   * ARN, before CDK could resolve it. A token is taken as it is; a region written in the ARN's text
   * is still checked.
   */
  @Test
  void anOtelLayerArnThatIsATokenIsTakenAndALiteralRegionInItIsChecked() {
    Stack fromSsm = stackIn(new App(), "Orders", "123456789012", "eu-west-1");
    scaler(fromSsm, "OrdersScaling", "orders", service(fromSsm, cluster(fromSsm), "o").build())
        .telemetry(
            TelemetrySettings.otel(
                StringParameter.valueForStringParameter(fromSsm, "/adot/collector-layer-arn")))
        .build();
    Template.fromStack(fromSsm)
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Map.of(
                "Layers",
                List.of(Map.of("Ref", Match.stringLikeRegexp("SsmParameterValue.*"))),
                "Environment",
                Map.of("Variables", Match.objectLike(Map.of("TRACING", "otel")))));

    Stack fromParameter = new Stack(new App(), "Orders");
    CfnParameter layer = CfnParameter.Builder.create(fromParameter, "OtelLayerArn").build();
    scaler(
            fromParameter,
            "OrdersScaling",
            "orders",
            service(fromParameter, cluster(fromParameter), "o").build())
        .telemetry(TelemetrySettings.otel(layer.getValueAsString()))
        .build();
    Template.fromStack(fromParameter)
        .hasResourceProperties(
            "AWS::Lambda::Function", Map.of("Layers", List.of(Map.of("Ref", "OtelLayerArn"))));

    Stack elsewhere = stackIn(new App(), "Orders", "123456789012", "eu-west-1");
    CfnParameter version = CfnParameter.Builder.create(elsewhere, "OtelLayerVersion").build();
    assertThatThrownBy(
            () ->
                scaler(
                        elsewhere,
                        "OrdersScaling",
                        "orders",
                        service(elsewhere, cluster(elsewhere), "o").build())
                    .telemetry(
                        TelemetrySettings.otel(
                            "arn:aws:lambda:us-east-1:901920570463:layer:aws-otel-collector:"
                                + version.getValueAsString()))
                    .build())
        .hasMessageContaining("us-east-1")
        .hasMessageContaining("eu-west-1")
        .hasMessageContaining("otelLambdaLayerArn");
  }

  /**
   * {@code logLevel}, {@code tracing} and {@code otelLambdaLayerArn} are generic names that a host
   * app may use for its own purposes. The construct read them from the app's context: a logLevel of
   * WARN failed its build, DEBUG or {@code tracing=off} silently changed its scaler. The construct
   * reads no context of the app; its scaler keeps its defaults unless it is told.
   */
  @Test
  void theConstructDoesNotReadTheHostAppsGenericContextKeys() {
    for (Map<String, Object> context :
        List.<Map<String, Object>>of(
            Map.of("logLevel", "WARN"),
            Map.of("tracing", "true"),
            Map.of("logLevel", "error", "maxTasks", "lots", "policy", "none"),
            Map.of(
                "logLevel",
                "DEBUG",
                "tracing",
                "off",
                "otelLambdaLayerArn",
                "arn:aws:lambda:eu-west-1:123456789012:layer:host-layer:3"))) {
      App app = new App(AppProps.builder().context(context).build());
      Stack stack = new Stack(app, "Host");
      FargateService service = service(stack, cluster(stack), "orders").build();

      scaler(stack, "OrdersScaling", "orders", service).build();

      Template.fromStack(stack)
          .hasResourceProperties(
              "AWS::Lambda::Function",
              Map.of(
                  "Handler",
                  ScalerRuntime.HANDLER,
                  "LoggingConfig",
                  Match.objectLike(Map.of("ApplicationLogLevel", "INFO")),
                  "Environment",
                  Map.of("Variables", Match.objectLike(Map.of("TRACING", "xray"))),
                  "Layers",
                  Match.absent()));
    }
  }

  /**
   * What a user of the construct sets instead: the scaler's tracing and log level are inputs of the
   * construct, for the runtime it creates; a second target of that runtime that asks for other
   * settings fails naming the runtime, as a runtime given to a target with other settings does.
   */
  @Test
  void theScalersTracingAndLogLevelAreWhatTheConstructIsGiven() {
    App app = new App(AppProps.builder().context(Map.of("logLevel", "INFO")).build());
    Stack stack = new Stack(app, "Host");
    TelemetrySettings quiet =
        TelemetrySettings.defaults()
            .withTracing(TracingChoice.OFF)
            .withLogLevel(ApplicationLogLevel.DEBUG);
    Cluster cluster = cluster(stack);
    scaler(stack, "OrdersScaling", "orders", service(stack, cluster, "orders").build())
        .telemetry(quiet)
        .build();
    FargateService billing = service(stack, cluster, "billing").build();
    assertThatThrownBy(
            () ->
                scaler(stack, "BillingScaling", "billing", billing)
                    .telemetry(TelemetrySettings.defaults())
                    .build())
        .hasMessageContaining("Host/QueueDepthScalerRuntime");
    scaler(stack, "SameSettingsBillingScaling", "billing", billing).build();

    // After every target: synthesis freezes the grants' policy statements.
    Template.fromStack(stack)
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Map.of(
                "Handler",
                ScalerRuntime.HANDLER,
                "LoggingConfig",
                Match.objectLike(Map.of("ApplicationLogLevel", "DEBUG")),
                "Environment",
                Map.of("Variables", Match.objectLike(Map.of("TRACING", "off")))));
    assertThatThrownBy(
            () ->
                new TelemetrySettings(
                    TracingChoice.XRAY, ApplicationLogLevel.WARN, Optional.empty()))
        .hasMessageContaining("TelemetrySettings.logLevel must be TRACE, DEBUG or INFO");
  }

  /**
   * Observability is public, and a scaler under another prefix writes its metrics to its own
   * namespace ({@code QueueScaler/team-a}): the heartbeat alarm watched {@code QueueScaler}, where
   * another scaler's heartbeat, or none, would hide this one's outage.
   */
  @Test
  void observabilityWatchesTheHeartbeatOfTheScalerItIsGiven() {
    App app = new App();
    Stack stack = new Stack(app, "Apps");
    ScalerRuntime runtime = ScalerRuntime.forPrefix(stack, "/team-a");
    Queue queue = Queue.Builder.create(stack, "Orders").build();
    Queue deadLetters = Queue.Builder.create(stack, "OrdersDeadLetters").build();

    new Observability(
        stack,
        "Observability",
        "orders",
        runtime,
        queue,
        deadLetters,
        "orders",
        600,
        Optional.empty());

    Template.fromStack(stack)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Map.of(
                "MetricName",
                "CyclesCompleted",
                "Namespace",
                "QueueScaler/team-a",
                "ComparisonOperator",
                "LessThanThreshold"));
  }
}
