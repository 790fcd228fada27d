package dev.queuescaler.scaler.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.queuescaler.scaler.app.ObservabilitySettings;
import dev.queuescaler.scaler.app.ScalerAssembly;
import dev.queuescaler.scaler.app.ScalerSettings;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ParameterChanges;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.report.CycleHeartbeat;
import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import dev.queuescaler.scaler.report.LogCorrelation;
import dev.queuescaler.scaler.tracing.TraceRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The scaler Lambda: {@code dev.queuescaler.scaler.lambda.ScalerHandler::handleRequest}, invoked
 * every minute by EventBridge Scheduler.
 *
 * <p>Clients and adapters are built once per container, in the constructor (and so in the SnapStart
 * snapshot). Each invocation runs one cycle for every target, writes decision lines, metrics (EMF)
 * and logs to stdout, then the cycle's heartbeat, returns a JSON summary, and throws when any
 * target failed.
 *
 * <p>Every line names the invocation's request id and its trace id. The spans are flushed before
 * the invocation returns (or throws), at most {@link
 * dev.queuescaler.scaler.tracing.ChosenTracer#FLUSH_TIMEOUT}: Lambda freezes the environment then,
 * and spans left in a batch would leave late or never. The OpenTelemetry SDK built in the
 * constructor (so in the SnapStart snapshot) has opened no connection and keeps no random seed.
 */
public final class ScalerHandler implements RequestStreamHandler {

  /**
   * The schedule's period: EventBridge Scheduler's rate(1 minute). Each target is sampled within
   * it, every sample-interval-seconds while it is active.
   */
  static final Duration SCHEDULE_PERIOD = SamplingPlan.SCHEDULE;

  private final ScalingCycle cycle;
  private final ParameterChanges changes;
  private final OperatorLog log;
  private final Clock clock;
  private final String parameterPath;
  private final CycleHeartbeat heartbeat;
  private final LogCorrelation correlation;
  private final BooleanSupplier flushTraces;

  /** The Lambda runtime's constructor: everything from the environment. */
  public ScalerHandler() {
    this(
        ScalerSettings.fromEnvironment(System.getenv()),
        ObservabilitySettings.fromEnvironment(System.getenv()),
        System.out);
  }

  private ScalerHandler(
      ScalerSettings settings, ObservabilitySettings observability, PrintStream out) {
    this(
        ScalerAssembly.create(
            settings,
            observability,
            TraceRoot.FUNCTION_SEGMENT,
            new ScalerAssembly.Outputs(out, out, out),
            Clock.systemUTC()),
        new EmfCycleHeartbeat(out, settings.metricsNamespace()));
  }

  ScalerHandler(ScalerAssembly assembly, CycleHeartbeat heartbeat) {
    this(
        assembly.cycle(),
        assembly.changes(),
        assembly.log(),
        Clock.systemUTC(),
        assembly.parameterPath(),
        heartbeat,
        assembly.correlation(),
        assembly.tracer()::flush);
  }

  ScalerHandler(
      ScalingCycle cycle,
      ParameterChanges changes,
      OperatorLog log,
      Clock clock,
      String parameterPath,
      CycleHeartbeat heartbeat) {
    this(cycle, changes, log, clock, parameterPath, heartbeat, LogCorrelation.none(), () -> true);
  }

  ScalerHandler(
      ScalingCycle cycle,
      ParameterChanges changes,
      OperatorLog log,
      Clock clock,
      String parameterPath,
      CycleHeartbeat heartbeat,
      LogCorrelation correlation,
      BooleanSupplier flushTraces) {
    this.cycle = cycle;
    this.changes = changes;
    this.log = log;
    this.clock = clock;
    this.parameterPath = parameterPath;
    this.heartbeat = heartbeat;
    this.correlation = correlation;
    this.flushTraces = flushTraces;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    if (context != null && context.getAwsRequestId() != null) {
      correlation.beginRequest(context.getAwsRequestId());
    }
    try {
      handle(input, output, context);
    } finally {
      if (!flushTraces.getAsBoolean()) {
        log.warn(
            "spans not all sent within "
                + dev.queuescaler.scaler.tracing.ChosenTracer.FLUSH_TIMEOUT.toSeconds()
                + " s: is the collector (OTEL_EXPORTER_OTLP_ENDPOINT) there?");
      }
    }
  }

  private void handle(InputStream input, OutputStream output, Context context) throws IOException {
    byte[] payload = input.readAllBytes();
    if (InvocationEvent.isParameterStoreChange(payload)) {
      // A stack whose rule still invokes the function (newer ones queue the events, and each
      // cycle drains them): every container's next cycle reads the changed target's path again
      // (the whole prefix when the event names no target, or past 2,000 recorded targets); this
      // invocation scales nothing.
      changes.recordChange(clock.instant(), InvocationEvent.changedTarget(payload, parameterPath));
      output.write("{\"parametersChanged\":true}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (InvocationEvent.isIdleCheck(payload)) {
      check(payload, output, context);
      return;
    }
    CycleRequest request;
    try {
      request = InvocationEvent.parse(payload);
    } catch (IllegalArgumentException e) {
      log.error("rejected invocation, nothing scaled: " + e.getMessage());
      throw e;
    }
    // The invocation's own end: targets start, and state is written, only while their calls fit.
    Deadline deadline =
        context == null
            ? Deadline.NONE
            : cycleDeadline(clock.instant(), context.getRemainingTimeInMillis());
    CycleReport report = cycle.run(request.by(deadline).within(SCHEDULE_PERIOD));
    // Failed targets included: those raise the function's Errors; the heartbeat's absence tells
    // what nothing else can, that no cycle ends at all.
    heartbeat.cycleCompleted(clock.instant());
    output.write(summary(report).getBytes(StandardCharsets.UTF_8));
    if (report.failed()) {
      throw new ScalingCycleFailedException(
          report.failures().size()
              + " failure(s) in the scaling cycle: "
              + String.join(" | ", report.failures()));
    }
  }

  /**
   * A check invocation, from the checks queue: reads the idle targets' queues, and decides only
   * those that filled. No heartbeat: that tells the scheduled cycles' health. A failure throws, so
   * it counts in the function's Errors (its message then goes to the checks queue's dead-letter
   * queue: a check retried later is stale anyway).
   */
  private void check(byte[] payload, OutputStream output, Context context) throws IOException {
    List<IdleCheck> checks;
    try {
      checks = InvocationEvent.idleChecks(payload);
    } catch (IllegalArgumentException e) {
      log.error("rejected idle check, nothing read or scaled: " + e.getMessage());
      throw e;
    }
    Deadline deadline =
        context == null
            ? Deadline.NONE
            : cycleDeadline(clock.instant(), context.getRemainingTimeInMillis());
    CycleReport report = cycle.check(checks, deadline, SCHEDULE_PERIOD);
    output.write(summary(report).getBytes(StandardCharsets.UTF_8));
    if (report.failed()) {
      throw new ScalingCycleFailedException(
          report.failures().size()
              + " failure(s) in the idle check: "
              + String.join(" | ", report.failures()));
    }
  }

  /**
   * The cycle's deadline in an invocation with {@code remainingMillis} left at {@code now}: the
   * function's end less {@link dev.queuescaler.scaler.tracing.ChosenTracer#FLUSH_TIMEOUT}, since
   * the spans' flush comes after the cycle (in handleRequest's finally) on top of {@link
   * Deadline#MARGIN}; else a short cycle and an unanswering collector could pass the Lambda's
   * timeout. Taken whatever the tracer, for the X-Ray and no-tracing flushes return at once and the
   * two seconds are a small part of the minute.
   */
  static Deadline cycleDeadline(Instant now, long remainingMillis) {
    return Deadline.at(
        now.plusMillis(remainingMillis)
            .minus(dev.queuescaler.scaler.tracing.ChosenTracer.FLUSH_TIMEOUT));
  }

  private static String summary(CycleReport report) {
    long acted =
        report.outcomes().stream()
            .map(TargetOutcome::decision)
            .filter(d -> !d.dryRun())
            .filter(d -> d.action() != Action.HOLD)
            .count();
    // An earlier scale that a sample saw landed late is counted by the sample that announced it.
    acted += report.outcomes().stream().filter(o -> o.lateLanding().isPresent()).count();
    long targets = report.outcomes().stream().map(o -> o.decision().target()).distinct().count();
    return "{\"targets\":"
        + targets
        + ",\"decisions\":"
        + report.outcomes().size()
        + ",\"scalingActions\":"
        + acted
        + ",\"failures\":"
        + report.failures().size()
        + "}";
  }
}
