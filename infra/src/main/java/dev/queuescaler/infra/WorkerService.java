package dev.queuescaler.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerDependency;
import software.amazon.awscdk.services.ecs.ContainerDependencyCondition;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The worker's cluster and Fargate service, built from {@code worker/Dockerfile} by {@code cdk
 * deploy}, with an ADOT collector sidecar that sends traces to X-Ray: it takes the X-Ray SDK's
 * segments on UDP 2000 (what the X-Ray daemon took) and OpenTelemetry's spans as OTLP/HTTP on 4318,
 * so {@code TRACING} can change without changing the task.
 *
 * <p>The service has no desired count in the template (a redeploy keeps what the scaler set) and no
 * Application Auto Scaling target or policy (they would overwrite it). Its stopTimeout exceeds the
 * worker's shutdown budget, so SIGTERM drains before SIGKILL.
 */
public final class WorkerService extends Construct {

  /**
   * Messages one worker receive loop holds at a time (the worker's QueueWorker.SLOTS_PER_LOOP,
   * which infra cannot load at synthesis; a test pins the two equal).
   */
  static final int MESSAGES_PER_LOOP = 10;

  /**
   * What ECS leaves a stopping worker past its shutdown budget before it kills it (the worker's
   * QueueWorker.STOP_MARGIN, whose stop ends its give-back 5 s before then; a test pins the two
   * equal).
   */
  static final int STOP_MARGIN_SECONDS = 20;

  /** The worker container's stopTimeout for a shutdown budget of {@code workerShutdownSeconds}. */
  static int stopTimeoutSeconds(int workerShutdownSeconds) {
    return workerShutdownSeconds + STOP_MARGIN_SECONDS;
  }

  /** The scaler's task-concurrency for a worker with {@code concurrency} receive loops. */
  static int messagesAtOnce(int concurrency) {
    return concurrency * MESSAGES_PER_LOOP;
  }

  public static final String DEFAULT_CONTEXT = "../worker";
  public static final String METRICS_NAMESPACE = "QueueWorker";

  /** The AWS Distro for OpenTelemetry collector, a version pinned (pin its digest to deploy). */
  public static final String COLLECTOR_IMAGE = "amazon/aws-otel-collector:v0.48.0";

  /**
   * The collector's configuration ({@code AOT_CONFIG_CONTENT}): both receivers on loopback only, a
   * one-second batch, the X-Ray exporter (which turns the attributes a span lists in {@code
   * aws.xray.annotations} into indexed annotations), and the health check the container's health
   * command asks.
   */
  static final String COLLECTOR_CONFIG =
      String.join(
          "\n",
          "extensions:",
          "  health_check:",
          "    endpoint: 127.0.0.1:13133",
          "receivers:",
          "  otlp:",
          "    protocols:",
          "      http:",
          "        endpoint: 127.0.0.1:4318",
          "  awsxray:",
          "    endpoint: 127.0.0.1:2000",
          "    transport: udp",
          "processors:",
          "  batch/traces:",
          "    timeout: 1s",
          "    send_batch_size: 50",
          "exporters:",
          "  awsxray:",
          "service:",
          "  extensions: [health_check]",
          "  pipelines:",
          "    traces:",
          "      receivers: [otlp, awsxray]",
          "      processors: [batch/traces]",
          "      exporters: [awsxray]",
          "");

  private final Cluster cluster;
  private final FargateService service;

  public WorkerService(
      Construct scope,
      String id,
      IVpc vpc,
      IQueue queue,
      StackSettings settings,
      TelemetrySettings telemetry) {
    super(scope, id);
    cluster =
        Cluster.Builder.create(this, "Cluster")
            .vpc(vpc)
            .containerInsightsV2(ContainerInsights.ENABLED)
            .build();
    FargateTaskDefinition task =
        FargateTaskDefinition.Builder.create(this, "Task")
            .cpu(settings.workerCpu())
            .memoryLimitMiB(settings.workerMemoryMiB())
            .build();
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    int stopTimeout = stopTimeoutSeconds(settings.workerShutdownSeconds());
    // Not essential: a collector that dies costs traces, never work.
    task.addContainer(
        "Collector",
        ContainerDefinitionOptions.builder()
            .image(ContainerImage.fromRegistry(COLLECTOR_IMAGE))
            .essential(false)
            .cpu(64)
            .memoryReservationMiB(128)
            .environment(Map.of("AOT_CONFIG_CONTENT", COLLECTOR_CONFIG))
            .healthCheck(
                HealthCheck.builder()
                    .command(List.of("CMD", "/healthcheck"))
                    .interval(Duration.seconds(30))
                    .timeout(Duration.seconds(5))
                    .retries(3)
                    .startPeriod(Duration.seconds(10))
                    .build())
            .logging(LogDrivers.awsLogs(awsLogs(logs, "collector")))
            .build());
    Map<String, String> workerEnvironment = new java.util.LinkedHashMap<>();
    workerEnvironment.put("QUEUE_URL", queue.getQueueUrl());
    workerEnvironment.put("WORKER_CONCURRENCY", Integer.toString(settings.workerConcurrency()));
    workerEnvironment.put(
        "WORKER_SHUTDOWN_SECONDS", Integer.toString(settings.workerShutdownSeconds()));
    workerEnvironment.put("METRICS_NAMESPACE", METRICS_NAMESPACE);
    workerEnvironment.putAll(telemetry.workerEnvironment());
    var worker =
        task.addContainer(
            "Worker",
            ContainerDefinitionOptions.builder()
                .image(
                    ContainerImage.fromAsset(
                        settings.workerContext(),
                        AssetImageProps.builder()
                            // Only what the Dockerfile copies: keeps the asset hash stable.
                            .exclude(List.of("**", "!Dockerfile", "!target/worker.jar"))
                            .build()))
                .environment(workerEnvironment)
                .stopTimeout(Duration.seconds(stopTimeout))
                .logging(LogDrivers.awsLogs(awsLogs(logs, "worker")))
                .build());
    worker.addContainerDependencies(
        ContainerDependency.builder()
            .container(task.findContainer("Collector"))
            .condition(ContainerDependencyCondition.START)
            .build());

    queue.grantConsumeMessages(task.getTaskRole());
    Stack stack = Stack.of(this);
    task.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("ecs:UpdateTaskProtection", "ecs:GetTaskProtection"))
            .resources(
                List.of(
                    stack.formatArn(
                        ArnComponents.builder()
                            .service("ecs")
                            .resource("task")
                            .resourceName(cluster.getClusterName() + "/*")
                            .build())))
            .build());
    // PutMetricData and the X-Ray writes have no resource-level permissions; the metrics are
    // limited to the worker's namespace by condition. The collector's X-Ray exporter writes with
    // PutTraceSegments and asks for sampling rules, as the daemon did.
    task.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("cloudwatch:PutMetricData"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", METRICS_NAMESPACE)))
            .build());
    task.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets"))
            .resources(List.of("*"))
            .build());

    service =
        FargateService.Builder.create(this, "Service")
            .cluster(cluster)
            .taskDefinition(task)
            .assignPublicIp(settings.vpcId().isEmpty())
            .vpcSubnets(
                SubnetSelection.builder()
                    .subnetType(
                        settings.vpcId().isEmpty()
                            ? SubnetType.PUBLIC
                            : SubnetType.PRIVATE_WITH_EGRESS)
                    .build())
            .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
            .minHealthyPercent(100)
            .maxHealthyPercent(200)
            .build();
  }

  private static AwsLogDriverProps awsLogs(LogGroup logs, String prefix) {
    return AwsLogDriverProps.builder().logGroup(logs).streamPrefix(prefix).build();
  }

  public Cluster cluster() {
    return cluster;
  }

  public FargateService service() {
    return service;
  }
}
