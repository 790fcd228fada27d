package dev.queuescaler.scaler.app;

import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbCycleLease;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.DynamoDbParameterChanges;
import dev.queuescaler.scaler.aws.DynamoDbParameterMirror;
import dev.queuescaler.scaler.aws.DynamoDbValidConfigurations;
import dev.queuescaler.scaler.aws.DynamoDbWaitingTargets;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsChangeNotices;
import dev.queuescaler.scaler.aws.SqsIdleCheckTrigger;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.cycle.ChangeNotices;
import dev.queuescaler.scaler.cycle.IdleCheckTrigger;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ParameterChanges;
import dev.queuescaler.scaler.cycle.ParameterReadModel;
import dev.queuescaler.scaler.cycle.Pause;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.scaler.report.DecisionLineSink;
import dev.queuescaler.scaler.report.DecisionSinks;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.report.LogCorrelation;
import dev.queuescaler.scaler.tracing.ChosenTracer;
import dev.queuescaler.scaler.tracing.TraceRoot;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/** Builds the whole scaler once: clients, adapters, reporting, tracing, the cycle. */
public final class ScalerAssembly implements AutoCloseable {

  /** Where each kind of output goes. */
  public record Outputs(PrintStream decisions, PrintStream metrics, PrintStream logs) {}

  private final AwsClients clients;
  private final ScalingCycle cycle;
  private final ParameterChanges changes;
  private final OperatorLog log;
  private final String parameterPath;
  private final ChosenTracer tracer;
  private final LogCorrelation correlation;

  private ScalerAssembly(
      AwsClients clients,
      ScalingCycle cycle,
      ParameterChanges changes,
      OperatorLog log,
      String parameterPath,
      ChosenTracer tracer,
      LogCorrelation correlation) {
    this.clients = clients;
    this.cycle = cycle;
    this.changes = changes;
    this.log = log;
    this.parameterPath = parameterPath;
    this.tracer = tracer;
    this.correlation = correlation;
  }

  /** The prefix the targets' parameters live under ({@code /queue-scaler}). */
  public String parameterPath() {
    return parameterPath;
  }

  public ParameterChanges changes() {
    return changes;
  }

  /** The scaler with its clients in the SDK's region chain's region (the Lambda's). */
  public static ScalerAssembly create(
      ScalerSettings settings,
      ObservabilitySettings observability,
      TraceRoot traceRoot,
      Outputs outputs,
      Clock clock) {
    return create(settings, observability, Optional.empty(), traceRoot, outputs, clock);
  }

  /**
   * The scaler with its clients in {@code region} when given (the CLI's {@code --region}), else in
   * the SDK's region chain's, tracing with what {@code observability} chooses.
   */
  public static ScalerAssembly create(
      ScalerSettings settings,
      ObservabilitySettings observability,
      Optional<Region> region,
      TraceRoot traceRoot,
      Outputs outputs,
      Clock clock) {
    ChosenTracer tracer =
        ChosenTracer.create(
            observability.tracing(), traceRoot, settings.xrayDaemonAddress(), observability.otel());
    return create(settings, observability, region, tracer, outputs, clock);
  }

  /** With a tracer built elsewhere (tests give one that exports to memory); closes it. */
  public static ScalerAssembly create(
      ScalerSettings settings,
      ObservabilitySettings observability,
      Optional<Region> region,
      ChosenTracer tracer,
      Outputs outputs,
      Clock clock) {
    Tracing tracing = tracer.tracing();
    LogCorrelation correlation = new LogCorrelation(tracing::traceId);
    AwsClients clients =
        region
            .map(r -> AwsClients.inRegion(r, tracer.sdkInterceptors()))
            .orElseGet(() -> AwsClients.fromStandardSettings(tracer.sdkInterceptors()));
    OperatorLog log =
        new JsonOperatorLog(outputs.logs(), clock, observability.logLevel(), correlation);
    ParameterChanges changes =
        new DynamoDbParameterChanges(clients.dynamoDb(), settings.stateTable());
    ScalingCycle.Ports ports =
        new ScalingCycle.Ports(
            new ParameterReadModel(
                new SsmParameterSource(
                    clients.ssm(),
                    settings.parameterPath(),
                    AccountQuotas.parameterReads(settings.quotaSharePercent())),
                new DynamoDbParameterMirror(clients.dynamoDb(), settings.stateTable()),
                changes,
                settings
                    .changeQueueUrl()
                    .<ChangeNotices>map(
                        url -> new SqsChangeNotices(clients.sqs(), url, settings.parameterPath()))
                    .orElse(ChangeNotices.NONE),
                clock,
                ParameterReadModel.STEADY_PAGES),
            new SqsQueueProbe(clients.sqs()),
            new EcsServiceScaler(
                clients.ecs(),
                AccountQuotas.describeServices(settings.quotaSharePercent()),
                AccountQuotas.updateService(settings.quotaSharePercent())),
            new DynamoDbDecisionStore(clients.dynamoDb(), settings.stateTable(), log),
            new EventBridgeDecisionEvents(
                clients.eventBridge(), settings.eventBus(), settings.parameterPath()),
            DecisionSinks.all(
                new DecisionLineSink(outputs.decisions(), observability.logLevel(), correlation),
                new EmfMetricsSink(outputs.metrics(), settings.metricsNamespace())),
            log,
            tracing,
            clock,
            Pause.sleeping(clock),
            settings
                .idleCheckQueue()
                .<IdleCheckTrigger>map(url -> new SqsIdleCheckTrigger(clients.sqs(), url))
                .orElse(IdleCheckTrigger.NONE));
    return new ScalerAssembly(
        clients,
        new ScalingCycle(
            ports,
            ScalingCycle.DEFAULT_PARALLELISM,
            AwsClients.WORST_CALL,
            new DynamoDbWaitingTargets(clients.dynamoDb(), settings.stateTable()),
            new DynamoDbValidConfigurations(clients.dynamoDb(), settings.stateTable()),
            new DynamoDbCycleLease(clients.dynamoDb(), settings.stateTable())),
        changes,
        log,
        settings.parameterPath(),
        tracer,
        correlation);
  }

  public ScalingCycle cycle() {
    return cycle;
  }

  public OperatorLog log() {
    return log;
  }

  /** The chosen tracer, which a Lambda invocation flushes before it returns. */
  public ChosenTracer tracer() {
    return tracer;
  }

  /** Names each invocation's request in the log lines. */
  public LogCorrelation correlation() {
    return correlation;
  }

  @Override
  public void close() {
    cycle.close();
    clients.close();
    tracer.close();
  }
}
