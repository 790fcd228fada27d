package dev.queuescaler.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.constructs.Construct;

/**
 * Everything {@code cdk deploy} creates: network, queue, worker service, scaler, generator,
 * dashboard, alarms and the topic they notify, with the outputs an operator needs.
 */
public final class QueueDepthAutoscalerStack extends Stack {

  public static final String NAME = "QueueDepthAutoscaler";
  public static final String TRACE_FILTER =
      "annotation.action = \"SCALE_OUT\" OR annotation.action = \"SCALE_IN\"";

  private final WorkQueue work;
  private final WorkerService worker;
  private final QueueDepthScaler scaler;
  private final LoadGenerator generator;

  /**
   * The stack, with its settings and its processes' tracing and logging, both read from the app's
   * context by {@link InfraApp}.
   */
  public QueueDepthAutoscalerStack(
      Construct scope,
      String id,
      StackProps props,
      StackSettings settings,
      TelemetrySettings telemetry) {
    super(scope, id, props);

    IVpc vpc =
        settings
            .vpcId()
            .map(
                vpcId ->
                    Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(vpcId).build()))
            .orElseGet(
                () ->
                    Vpc.Builder.create(this, "Vpc")
                        .maxAzs(2)
                        .natGateways(0)
                        .subnetConfiguration(
                            List.of(
                                SubnetConfiguration.builder()
                                    .name("public")
                                    .subnetType(SubnetType.PUBLIC)
                                    .cidrMask(24)
                                    .build()))
                        .flowLogs(
                            java.util.Map.of(
                                "Rejected",
                                software.amazon.awscdk.services.ec2.FlowLogOptions.builder()
                                    .trafficType(
                                        software.amazon.awscdk.services.ec2.FlowLogTrafficType
                                            .REJECT)
                                    .build()))
                        .build());

    // Six times the worker's shutdown budget: heartbeats extend it for longer work.
    work = new WorkQueue(this, "Work", Duration.seconds(settings.workerShutdownSeconds() * 6L));
    worker = new WorkerService(this, "Worker", vpc, work.queue(), settings, telemetry);
    scaler =
        QueueDepthScaler.Builder.create(this, "Scaling")
            .targetName(settings.targetName())
            .queue(work.queue())
            .service(worker.service())
            .tunables(
                ScalerTunables.builder()
                    .maxTasks(settings.maxTasks())
                    .backlogPerTask(settings.backlogPerTask())
                    // A fact of the worker, for the load term: what one task holds at a time.
                    .taskConcurrency(WorkerService.messagesAtOnce(settings.workerConcurrency()))
                    .policy(settings.policy())
                    .build())
            .telemetry(telemetry)
            .build();
    scaler
        .runtime()
        .function()
        .addEnvironment(
            "SCALER_QUOTA_SHARE_PERCENT", Integer.toString(settings.scalerQuotaSharePercent()));
    generator =
        new LoadGenerator(
            this,
            "Generator",
            work.queue(),
            settings.generatorJar(),
            settings.generatorSchedule(),
            telemetry);
    Observability observability =
        new Observability(
            this,
            "Observability",
            settings.targetName(),
            scaler.runtime(),
            work.queue(),
            work.deadLetters(),
            work.queue().getQueueName(),
            settings.oldestMessageAlarmSeconds(),
            settings.alarmEmail());

    CfnOutput.Builder.create(this, "QueueUrl").value(work.queue().getQueueUrl()).build();
    CfnOutput.Builder.create(this, "ParameterPrefix").value(scaler.parameterPath()).build();
    CfnOutput.Builder.create(this, "DashboardUrl")
        .value(
            "https://console.aws.amazon.com/cloudwatch/home?region="
                + getRegion()
                + "#dashboards:name="
                + observability.dashboard().getDashboardName())
        .build();
    CfnOutput.Builder.create(this, "ScalingDecisionsTraceFilter").value(TRACE_FILTER).build();
    CfnOutput.Builder.create(this, "AlarmTopicArn")
        .value(observability.alarmTopic().getTopicArn())
        .build();
    CfnOutput.Builder.create(this, "GeneratorFunction")
        .value(generator.function().getFunctionName())
        .build();
  }

  public WorkQueue work() {
    return work;
  }

  public WorkerService worker() {
    return worker;
  }

  public QueueDepthScaler scaler() {
    return scaler;
  }
}
