package dev.queuescaler.simulator;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Cadence;
import dev.queuescaler.scaler.policy.Decision;
import dev.queuescaler.scaler.policy.FeedForward;
import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Sample;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ScalingPolicy;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Ours: the scaler's real policy and sampling plan. The schedule invokes every 60 s; within each
 * invocation the target is sampled every sample-interval-seconds while it is active (the Lambda's
 * own {@link SamplingPlan}), on GetQueueAttributes' stale counts, with the history the DynamoDB
 * table would keep.
 */
final class QueueScalerController implements Controller {

  /** The Lambda's schedule: EventBridge Scheduler's shortest rate. */
  static final int SCHEDULE_SECONDS = (int) SamplingPlan.SCHEDULE.toSeconds();

  /** The SSM default of sample-interval-seconds. */
  static final SamplingPlan DEFAULT_SAMPLING =
      new SamplingPlan(
          Duration.ofSeconds(
              Integer.parseInt(ParameterKey.SAMPLE_INTERVAL_SECONDS.defaultValue())));

  /** The row of one of our formulas beside our default: {@code queue-scaler-<formula>}. */
  static String rowName(ScalingFormula formula) {
    return "queue-scaler-" + formula.key();
  }

  private final String name;
  private final ScalingParameters parameters;
  private final SamplingPlan sampling;
  private final IdleChecks idleChecks;
  private final java.util.Optional<FeedForward> feedForward;
  private long previousBacklog;
  private int previousSample = -1;
  private final Set<Integer> offsets = new HashSet<>();
  private final Set<Integer> idleOffsets = new HashSet<>();
  private ScalingHistory history = ScalingHistory.EMPTY;
  private boolean idleThisMinute;

  QueueScalerController(ScalingParameters parameters) {
    this(parameters, DEFAULT_SAMPLING);
  }

  QueueScalerController(ScalingParameters parameters, SamplingPlan sampling) {
    this("queue-scaler", parameters, sampling);
  }

  QueueScalerController(String name, ScalingParameters parameters, SamplingPlan sampling) {
    this(name, parameters, OurOptions.sampling(sampling));
  }

  QueueScalerController(String name, ScalingParameters parameters, OurOptions options) {
    this.name = name;
    this.parameters = parameters;
    this.sampling = options.sampling();
    this.idleChecks = options.idleChecks();
    this.feedForward = options.feedForward();
    sampling
        .offsets(Duration.ofSeconds(SCHEDULE_SECONDS))
        .forEach(offset -> offsets.add((int) offset.toSeconds()));
    idleChecks
        .offsets(Duration.ofSeconds(SCHEDULE_SECONDS))
        .forEach(offset -> idleOffsets.add((int) offset.toSeconds()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String settings() {
    return "invoked every "
        + SCHEDULE_SECONDS
        + " s, sampled every "
        + sampling.interval().toSeconds()
        + " s within it while active"
        + (idleOffsets.isEmpty()
            ? ""
            : ", an idle target checked every " + idleChecks.interval().toSeconds() + " s")
        + feedForward
            .map(ff -> ", sized for the backlog " + ff.launch().toSeconds() + " s ahead")
            .orElse("")
        + "; policy "
        + parameters.formula().key()
        + parameters
            .load()
            .map(
                term ->
                    " (task-concurrency "
                        + term.taskConcurrency()
                        + ", target-utilization "
                        + term.targetUtilizationPercent()
                        + " %)")
            .orElse("")
        + ", backlog-per-task "
        + parameters.backlogPerTask()
        + ", tolerance "
        + parameters.tolerancePercent()
        + " %"
        + ", count-in-flight "
        + parameters.countInFlight()
        + ", activation "
        + parameters.activationBacklog()
        + ", scale-in stabilization "
        + parameters.scaleInStabilization().toSeconds()
        + " s"
        + (parameters.scaleInWhenDrained() ? " (not once drained for a minute)" : "")
        + (parameters.scaleInBetweenBursts() ? " (not between periodic bursts)" : "")
        + ", to zero after "
        + parameters.scaleToZeroDelay().toSeconds()
        + " s"
        + (parameters.scaleInAfterLongPauses() ? " (at once, drained after long pauses)" : "")
        + ", scale-out cooldown "
        + parameters.scaleOutCooldown().toSeconds()
        + " s, steps "
        + parameters.maxScaleOutStep()
        + "/"
        + parameters.maxScaleInStep()
        + " (0 = none)";
  }

  @Override
  public void tick(int second, World world) {
    int offset = second % SCHEDULE_SECONDS;
    if (offset == 0) {
      idleThisMinute = false; // a new invocation
    }
    if (idleThisMinute ? !idleOffsets.contains(offset) : !offsets.contains(offset)) {
      return;
    }
    Instant now = Instant.ofEpochSecond(second);
    long inFlight = world.observedInFlight(second);
    long visible = world.observedVisible(second);
    QueueSnapshot read = new QueueSnapshot(visible, inFlight, 0);
    if (idleThisMinute && IdleChecks.stillIdle(parameters.backlogRules(), read)) {
      // As the Lambda's idle check: one queue read, judged by the target's own backlog rules, no
      // decision, nothing stored. Once the target was idle, the rest of the minute is checks (the
      // invocation ended; each delayed check samples the target only when what its decision would
      // count reaches activation).
      return;
    }
    long backlog = ScalingPolicy.backlog(parameters, read);
    long ahead =
        feedForward
            .filter(ff -> previousSample >= 0)
            .map(
                ff ->
                    ff.expectedBacklog(
                            backlog, previousBacklog, Duration.ofSeconds(second - previousSample))
                        - backlog)
            .orElse(0L);
    previousBacklog = backlog;
    previousSample = second;
    // As the Lambda: a check's decision never scales in.
    Sample sample =
        offset == 0
            ? Sample.FIRST_OF_INVOCATION
            : idleThisMinute ? Sample.IDLE_CHECK : Sample.FOLLOW_UP;
    Decision decision =
        ScalingPolicy.decide(
            parameters,
            new QueueSnapshot(
                ahead > Long.MAX_VALUE - visible ? Long.MAX_VALUE : visible + ahead, inFlight, 0),
            new ServiceSnapshot(world.desired(), world.running(), world.pending()),
            history,
            now,
            sample,
            sampling);
    history =
        history
            .after(
                now,
                decision.recommended(),
                OptionalLong.of(inFlight),
                decision.action() == Action.SCALE_OUT,
                parameters.historyRetention(),
                parameters.minTasks(),
                Cadence.after(decision, sample))
            .withQueueSeen(now, read, parameters);
    world.setDesired(decision.desired());
    idleThisMinute = idleThisMinute || SamplingPlan.idle(decision);
  }
}
