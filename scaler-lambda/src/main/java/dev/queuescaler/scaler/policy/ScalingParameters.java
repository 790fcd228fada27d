package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The tunables of one target, validated. Ranges and defaults are those of the SSM contract (see the
 * README's parameter table). {@link #BACKLOG_PER_TASK_DEFAULTS} holds the backlog-per-task
 * formula's defaults: what a target gets when the worker's concurrency is unknown. The default
 * formula, backlog-and-load, is those with a {@link LoadTerm} sized by that concurrency, a 210 s
 * window and a 10 % tolerance (the configuration's defaults, see ParameterKey).
 *
 * @param minTasks lower bound of the desired count, >= 0
 * @param maxTasks upper bound of the desired count, >= 1 and >= minTasks
 * @param backlogPerTask messages one task is expected to hold, >= 1
 * @param activationBacklog backlog needed to start the first task from zero, >= 1
 * @param countInFlight whether in-flight messages count as backlog
 * @param countDelayed whether delayed messages count as backlog
 * @param scaleOutCooldown minimum time between two scale-outs, >= 0
 * @param scaleInStabilization how far back the highest recommendation holds back a scale-in, >= 0
 * @param maxScaleOutStep most tasks added by one decision, 0 for no limit
 * @param maxScaleInStep most tasks removed by one decision, 0 for no limit
 * @param tolerancePercent no change while the backlog per current task is within this many percent
 *     of backlog-per-task (the Kubernetes HPA's tolerance, 10 % there), 0..99
 * @param scaleToZeroDelay how long no recommendation above zero must have been made before the last
 *     tasks stop (KEDA's cooldownPeriod, 300 s there), >= 0
 * @param scaleInWhenDrained whether a queue read empty after a stored sample that asked for no
 *     task, with nothing in flight for {@link ScalingPolicy#DRAINED_FOR}, scales in without waiting
 *     out the stabilization window
 * @param scaleInBetweenBursts whether a queue read empty between two bursts that keep a period
 *     ({@link PeriodicBursts}) scales in without waiting out the stabilization window
 * @param scaleInAfterLongPauses whether a drained queue (as for {@code scaleInWhenDrained}) whose
 *     recent pauses mostly outlasted the scale-to-zero delay, or the stabilization window when that
 *     is longer ({@link Pauses}), scales in without waiting out the window or the delay
 * @param load the load term when the formula is {@code backlog-and-load}, empty for
 *     backlog-per-task {@code backlog-per-task}
 */
public record ScalingParameters(
    int minTasks,
    int maxTasks,
    int backlogPerTask,
    int activationBacklog,
    boolean countInFlight,
    boolean countDelayed,
    Duration scaleOutCooldown,
    Duration scaleInStabilization,
    int maxScaleOutStep,
    int maxScaleInStep,
    int tolerancePercent,
    Duration scaleToZeroDelay,
    boolean scaleInWhenDrained,
    boolean scaleInBetweenBursts,
    boolean scaleInAfterLongPauses,
    Optional<LoadTerm> load) {

  public static final ScalingParameters BACKLOG_PER_TASK_DEFAULTS =
      new ScalingParameters(
          0,
          10,
          100,
          1,
          true,
          false,
          Duration.ZERO,
          Duration.ofSeconds(300),
          0,
          0,
          0,
          Duration.ofSeconds(300),
          false,
          true,
          false,
          Optional.empty());

  /** Without the release after long pauses. */
  public ScalingParameters(
      int minTasks,
      int maxTasks,
      int backlogPerTask,
      int activationBacklog,
      boolean countInFlight,
      boolean countDelayed,
      Duration scaleOutCooldown,
      Duration scaleInStabilization,
      int maxScaleOutStep,
      int maxScaleInStep,
      int tolerancePercent,
      Duration scaleToZeroDelay,
      boolean scaleInWhenDrained,
      boolean scaleInBetweenBursts,
      Optional<LoadTerm> load) {
    this(
        minTasks,
        maxTasks,
        backlogPerTask,
        activationBacklog,
        countInFlight,
        countDelayed,
        scaleOutCooldown,
        scaleInStabilization,
        maxScaleOutStep,
        maxScaleInStep,
        tolerancePercent,
        scaleToZeroDelay,
        scaleInWhenDrained,
        scaleInBetweenBursts,
        false,
        load);
  }

  /** Without the scale-in between periodic bursts. */
  public ScalingParameters(
      int minTasks,
      int maxTasks,
      int backlogPerTask,
      int activationBacklog,
      boolean countInFlight,
      boolean countDelayed,
      Duration scaleOutCooldown,
      Duration scaleInStabilization,
      int maxScaleOutStep,
      int maxScaleInStep,
      int tolerancePercent,
      Duration scaleToZeroDelay,
      boolean scaleInWhenDrained,
      Optional<LoadTerm> load) {
    this(
        minTasks,
        maxTasks,
        backlogPerTask,
        activationBacklog,
        countInFlight,
        countDelayed,
        scaleOutCooldown,
        scaleInStabilization,
        maxScaleOutStep,
        maxScaleInStep,
        tolerancePercent,
        scaleToZeroDelay,
        scaleInWhenDrained,
        false,
        load);
  }

  /**
   * The backlog-per-task formula, without a load term, and no scale-to-zero delay beyond the
   * stabilization window.
   */
  public ScalingParameters(
      int minTasks,
      int maxTasks,
      int backlogPerTask,
      int activationBacklog,
      boolean countInFlight,
      boolean countDelayed,
      Duration scaleOutCooldown,
      Duration scaleInStabilization,
      int maxScaleOutStep,
      int maxScaleInStep,
      int tolerancePercent) {
    this(
        minTasks,
        maxTasks,
        backlogPerTask,
        activationBacklog,
        countInFlight,
        countDelayed,
        scaleOutCooldown,
        scaleInStabilization,
        maxScaleOutStep,
        maxScaleInStep,
        tolerancePercent,
        Duration.ZERO,
        false,
        false,
        Optional.empty());
  }

  /** Without a tolerance: every change of the formula's count is acted on. */
  public ScalingParameters(
      int minTasks,
      int maxTasks,
      int backlogPerTask,
      int activationBacklog,
      boolean countInFlight,
      boolean countDelayed,
      Duration scaleOutCooldown,
      Duration scaleInStabilization,
      int maxScaleOutStep,
      int maxScaleInStep) {
    this(
        minTasks,
        maxTasks,
        backlogPerTask,
        activationBacklog,
        countInFlight,
        countDelayed,
        scaleOutCooldown,
        scaleInStabilization,
        maxScaleOutStep,
        maxScaleInStep,
        0);
  }

  public ScalingParameters {
    Objects.requireNonNull(scaleOutCooldown, "scaleOutCooldown");
    Objects.requireNonNull(scaleInStabilization, "scaleInStabilization");
    Objects.requireNonNull(scaleToZeroDelay, "scaleToZeroDelay");
    Objects.requireNonNull(load, "load");
    if (scaleToZeroDelay.isNegative()) {
      throw new IllegalArgumentException(
          "scaleToZeroDelay must be >= 0 but was " + scaleToZeroDelay);
    }
    atLeast("minTasks", minTasks, 0);
    atLeast("maxTasks", maxTasks, 1);
    atLeast("backlogPerTask", backlogPerTask, 1);
    atLeast("activationBacklog", activationBacklog, 1);
    atLeast("maxScaleOutStep", maxScaleOutStep, 0);
    atLeast("maxScaleInStep", maxScaleInStep, 0);
    atLeast("tolerancePercent", tolerancePercent, 0);
    if (tolerancePercent > 99) {
      throw new IllegalArgumentException(
          "tolerancePercent must be <= 99 but was " + tolerancePercent);
    }
    if (scaleOutCooldown.isNegative()) {
      throw new IllegalArgumentException(
          "scaleOutCooldown must be >= 0 but was " + scaleOutCooldown);
    }
    if (scaleInStabilization.isNegative()) {
      throw new IllegalArgumentException(
          "scaleInStabilization must be >= 0 but was " + scaleInStabilization);
    }
    if (minTasks > maxTasks) {
      throw new IllegalArgumentException(
          "minTasks must be <= maxTasks but was " + minTasks + " > " + maxTasks);
    }
  }

  /** The formula these parameters select. */
  public ScalingFormula formula() {
    return load.isPresent() ? ScalingFormula.BACKLOG_AND_LOAD : ScalingFormula.BACKLOG_PER_TASK;
  }

  /** These parameters with the {@code backlog-and-load} formula's load term. */
  public ScalingParameters withLoad(LoadTerm term) {
    return with(
        scaleToZeroDelay,
        scaleInWhenDrained,
        scaleInBetweenBursts,
        scaleInAfterLongPauses,
        Optional.of(term));
  }

  /** These parameters with the last tasks stopping only {@code delay} after the last demand. */
  public ScalingParameters withScaleToZeroDelay(Duration delay) {
    return with(delay, scaleInWhenDrained, scaleInBetweenBursts, scaleInAfterLongPauses, load);
  }

  /** These parameters with a drained queue scaling in past the window, or not. */
  public ScalingParameters withScaleInWhenDrained(boolean drained) {
    return with(scaleToZeroDelay, drained, scaleInBetweenBursts, scaleInAfterLongPauses, load);
  }

  /** These parameters with a queue read empty between periodic bursts scaling in, or not. */
  public ScalingParameters withScaleInBetweenBursts(boolean betweenBursts) {
    return with(scaleToZeroDelay, scaleInWhenDrained, betweenBursts, scaleInAfterLongPauses, load);
  }

  /** These parameters with a drained queue after long pauses released at once, or not. */
  public ScalingParameters withScaleInAfterLongPauses(boolean afterLongPauses) {
    return with(scaleToZeroDelay, scaleInWhenDrained, scaleInBetweenBursts, afterLongPauses, load);
  }

  private ScalingParameters with(
      Duration zeroDelay,
      boolean drained,
      boolean betweenBursts,
      boolean afterLongPauses,
      Optional<LoadTerm> loadTerm) {
    return new ScalingParameters(
        minTasks,
        maxTasks,
        backlogPerTask,
        activationBacklog,
        countInFlight,
        countDelayed,
        scaleOutCooldown,
        scaleInStabilization,
        maxScaleOutStep,
        maxScaleInStep,
        tolerancePercent,
        zeroDelay,
        drained,
        betweenBursts,
        afterLongPauses,
        loadTerm);
  }

  /** How long the history must keep its entries for every window these parameters use. */
  public Duration historyRetention() {
    Duration longest = scaleInStabilization;
    if (scaleToZeroDelay.compareTo(longest) > 0) {
      longest = scaleToZeroDelay;
    }
    if (load.isPresent() && LoadTerm.STABLE_WINDOW.compareTo(longest) > 0) {
      longest = LoadTerm.STABLE_WINDOW;
    }
    return longest;
  }

  private static void atLeast(String field, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(field + " must be >= " + minimum + " but was " + value);
    }
  }

  /** What counts as backlog, and how much of it starts a first task. */
  public BacklogRules backlogRules() {
    return new BacklogRules(countInFlight, countDelayed, activationBacklog);
  }
}
