package dev.queuescaler.scaler.app;

import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.report.DecisionLineSink;
import dev.queuescaler.scaler.report.DecisionSinks;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.tracing.XRayTracing;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/** Builds the whole scaler once: clients, adapters, reporting, tracing, the cycle. */
public final class ScalerAssembly implements AutoCloseable {

  /** Where each kind of output goes. */
  public record Outputs(PrintStream decisions, PrintStream metrics, PrintStream logs) {}

  private final AwsClients clients;
  private final ScalingCycle cycle;
  private final OperatorLog log;

  private ScalerAssembly(AwsClients clients, ScalingCycle cycle, OperatorLog log) {
    this.clients = clients;
    this.cycle = cycle;
    this.log = log;
  }

  public static ScalerAssembly create(
      ScalerSettings settings, XRayTracing.Root traceRoot, Outputs outputs, Clock clock) {
    XRayTracing tracing =
        new XRayTracing(XRayTracing.recorder(settings.xrayDaemonAddress()), traceRoot);
    AwsClients clients = AwsClients.fromStandardSettings(List.of(tracing.sdkInterceptor()));
    OperatorLog log = new JsonOperatorLog(outputs.logs(), clock);
    ScalingCycle.Ports ports =
        new ScalingCycle.Ports(
            new SsmParameterSource(
                clients.ssm(), settings.parameterPath(), AccountQuotas.parameterReads()),
            new SqsQueueProbe(clients.sqs()),
            new EcsServiceScaler(
                clients.ecs(), AccountQuotas.describeServices(), AccountQuotas.updateService()),
            new DynamoDbDecisionStore(clients.dynamoDb(), settings.stateTable()),
            new EventBridgeDecisionEvents(clients.eventBridge(), settings.eventBus()),
            DecisionSinks.all(
                new DecisionLineSink(outputs.decisions()),
                new EmfMetricsSink(outputs.metrics(), settings.metricsNamespace())),
            log,
            tracing,
            clock);
    return new ScalerAssembly(
        clients,
        new ScalingCycle(ports, ScalingCycle.DEFAULT_PARALLELISM, AwsClients.ATTEMPT_TIMEOUT),
        log);
  }

  public ScalingCycle cycle() {
    return cycle;
  }

  public OperatorLog log() {
    return log;
  }

  @Override
  public void close() {
    cycle.close();
    clients.close();
  }
}
