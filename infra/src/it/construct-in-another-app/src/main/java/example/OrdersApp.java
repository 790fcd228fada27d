package example;

import dev.queuescaler.infra.QueueDepthScaler;
import dev.queuescaler.infra.ScalerTunables;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/** An app with its own queue and Fargate service, scaled on queue depth by the construct. */
public final class OrdersApp {

  private OrdersApp() {}

  public static void main(String[] args) {
    App app = new App();
    build(app);
    app.synth();
  }

  static Stack build(App app) {
    Stack stack = new Stack(app, "Orders");
    Vpc vpc =
        Vpc.Builder.create(stack, "Vpc")
            .maxAzs(2)
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .build()))
            .flowLogs(
                Map.of(
                    "Rejected",
                    FlowLogOptions.builder().trafficType(FlowLogTrafficType.REJECT).build()))
            .build();
    Cluster cluster =
        Cluster.Builder.create(stack, "Cluster")
            .vpc(vpc)
            .containerInsightsV2(ContainerInsights.ENABLED)
            .build();
    Queue deadLetters =
        Queue.Builder.create(stack, "OrdersDeadLetters")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    Queue ordersQueue =
        Queue.Builder.create(stack, "Orders")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .deadLetterQueue(
                DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(5).build())
            .build();
    FargateTaskDefinition task = FargateTaskDefinition.Builder.create(stack, "OrdersTask").build();
    task.addContainer(
        "orders",
        ContainerDefinitionOptions.builder()
            .image(ContainerImage.fromRegistry("public.example/orders:1"))
            .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().streamPrefix("orders").build()))
            .build());
    FargateService ordersService =
        FargateService.Builder.create(stack, "OrdersService")
            .cluster(cluster)
            .taskDefinition(task)
            .assignPublicIp(true)
            .build();

    // As the README shows it.
    QueueDepthScaler.Builder.create(stack, "OrdersScaling")
        .targetName("orders")
        .queue(ordersQueue)
        .service(ordersService)
        .tunables(ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build())
        .build();

    Aspects.of(app).add(new AwsSolutionsChecks());
    return stack;
  }
}
