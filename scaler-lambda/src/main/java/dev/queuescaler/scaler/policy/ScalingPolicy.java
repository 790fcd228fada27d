package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The backlog-per-task controller. One call, one decision; no state of its own.
 *
 * <pre>
 * backlog     = visible + (count-in-flight ? inFlight : 0) + (count-delayed ? delayed : 0)
 * recommended = ceil(backlog / backlog-per-task), 0 when current and min-tasks are 0 and backlog
 *               < activation
 * backlog-and-load: the larger of that and ceil(inFlight / (task-concurrency x utilization))
 * recommended = clamp(recommended, min-tasks, max-tasks)
 * scale out:  up to recommended, at most max-scale-out-step at a time, not inside the cooldown
 * scale in:   down to the highest recommendation of the stabilization window (never above
 *             current), at most max-scale-in-step at a time; to zero only once no recommendation
 *             above zero is younger than scale-to-zero-delay (one task stays until then);
 *             backlog-and-load scales in only on an invocation's first sample
 * drained:    with scale-in-when-drained, when the backlog asks for nothing, nothing is in flight
 *             or delayed, the last stored sample asked for no task (beyond min-tasks), and no
 *             sample of the last DRAINED_FOR saw a message in flight, the window is not waited out
 * between bursts: with scale-in-between-bursts, when nothing is visible, in flight or delayed, the
 *             newest stored sample saw nothing in flight and asked for no more than min-tasks or
 *             its load term (and, above min-tasks, is the last read), and the last four bursts
 *             keep a period (PeriodicBursts): from a minute after the last scale-out (or the
 *             cooldown, when longer) to 75 s before the next burst is due, the window is not
 *             waited out either; backlog-and-load releases on a later sample only to the floor
 * long pauses: with scale-in-after-long-pauses, when the queue is drained (as above) and at least
 *             two of its last three pauses (Pauses) outlasted scale-to-zero-delay (or the window,
 *             when longer), neither the window nor the delay is waited out
 * </pre>
 *
 * Arithmetic saturates: a backlog near {@code Long.MAX_VALUE} gives max-tasks, not an overflow.
 */
public final class ScalingPolicy {

  private ScalingPolicy() {}

  /**
   * How long no stored sample may have seen a message in flight before a queue scales in past the
   * stabilization window: the load term's minute, so that one empty read (approximate counts, a
   * message still in another task's receive) never drops a fleet that was working.
   */
  public static final Duration DRAINED_FOR = LoadTerm.STABLE_WINDOW;

  /** Decides the desired count for one target at {@code now}, scale-in allowed. */
  public static Decision decide(
      ScalingParameters parameters,
      QueueSnapshot queue,
      ServiceSnapshot service,
      ScalingHistory history,
      Instant now) {
    return decide(parameters, queue, service, history, now, Sample.FIRST_OF_INVOCATION);
  }

  /** Decides the desired count for one target sampled at the default interval. */
  public static Decision decide(
      ScalingParameters parameters,
      QueueSnapshot queue,
      ServiceSnapshot service,
      ScalingHistory history,
      Instant now,
      Sample sample) {
    return decide(parameters, queue, service, history, now, sample, SamplingPlan.DEFAULT);
  }

  /**
   * Decides the desired count for one target at {@code now}, sampled by {@code sampling} (the load
   * term's average counts the samples a stored run stands for). A {@link Sample#FOLLOW_UP} sample
   * scales out or holds: scale-ins are decided once per invocation, on its first sample.
   */
  public static Decision decide(
      ScalingParameters parameters,
      QueueSnapshot queue,
      ServiceSnapshot service,
      ScalingHistory history,
      Instant now,
      Sample sample,
      SamplingPlan sampling) {
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(now, "now");

    long backlog = backlog(parameters, queue);
    int current = service.desired();
    // Activation gates only 0 -> 1 (KEDA's activationQueueLength): with a minimum above zero the
    // fleet is meant to run, so the formula sizes it from zero like from any count.
    boolean belowActivation =
        current == 0
            && parameters.minTasks() == 0
            && parameters.backlogRules().belowActivation(queue);
    long formula = belowActivation ? 0 : ceilDiv(backlog, parameters.backlogPerTask());
    double inFlightAverage =
        history.averageInFlight(LoadTerm.STABLE_WINDOW, now, queue.inFlight(), sampling.interval());
    long load = belowActivation ? 0 : loadTasks(parameters, inFlightAverage);
    long demanded = Math.max(formula, load);
    int recommended = clamp(demanded, parameters.minTasks(), parameters.maxTasks());
    Reason limit =
        demanded > parameters.maxTasks()
            ? Reason.MAX_TASKS
            : demanded < parameters.minTasks()
                ? Reason.MIN_TASKS
                : load > formula ? Reason.LOAD : Reason.BACKLOG;

    if (withinTolerance(
        parameters, demand(parameters, backlog, inFlightAverage), current, recommended)) {
      return Decision.hold(backlog, current, recommended, Reason.WITHIN_TARGET);
    }
    if (recommended > current) {
      return scaleOut(parameters, history, now, backlog, current, recommended, limit);
    }
    if (recommended < current) {
      boolean drainedNow =
          demanded == 0
              && queue.inFlight() == 0
              && queue.delayed() == 0
              && history.nothingToDoWithin(
                  DRAINED_FOR, parameters.minTasks(), now, sampling.interval().dividedBy(2));
      boolean afterLongPauses =
          parameters.scaleInAfterLongPauses()
              && drainedNow
              && history.pauses().mostlyLongerThan(heldThrough(parameters));
      boolean drained = parameters.scaleInWhenDrained() && drainedNow;
      boolean betweenBursts =
          parameters.scaleInBetweenBursts()
              && backlog == 0
              && queue.inFlight() == 0
              && queue.delayed() == 0
              && PeriodicBursts.lull(history, now, parameters, sampling.interval());
      return scaleIn(
          parameters,
          history,
          now,
          backlog,
          current,
          recommended,
          limit,
          belowActivation,
          sample,
          betweenBursts
              ? PastWindow.BETWEEN_BURSTS
              : drained
                  ? PastWindow.DRAINED
                  : afterLongPauses ? PastWindow.LONG_PAUSES : PastWindow.NO,
          afterLongPauses);
    }
    Reason reason;
    if (belowActivation && limit == Reason.BACKLOG) {
      reason = Reason.ACTIVATION;
    } else if (limit != Reason.BACKLOG && limit != Reason.LOAD) {
      reason = limit;
    } else {
      reason = Reason.WITHIN_TARGET;
    }
    return Decision.hold(backlog, current, recommended, reason);
  }

  /**
   * The HPA's tolerance: while the demand (in tasks) is within tolerancePercent of the current
   * count, the count is left alone, so noise in the counts does not move the fleet. Never when the
   * limits demand a change, and never from or to zero.
   */
  static boolean withinTolerance(
      ScalingParameters parameters, double demand, int current, int recommended) {
    if (parameters.tolerancePercent() == 0 || current == 0 || recommended == 0) {
      return false;
    }
    if (current < parameters.minTasks() || current > parameters.maxTasks()) {
      return false;
    }
    return Math.abs(demand / current - 1) * 100 <= parameters.tolerancePercent();
  }

  /** The tasks both terms ask for, unrounded: the larger of backlog / backlog-per-task and load. */
  static double demand(ScalingParameters parameters, long backlog, double inFlightAverage) {
    double byBacklog = (double) backlog / parameters.backlogPerTask();
    return parameters
        .load()
        .map(term -> Math.max(byBacklog, term.tasksFor(inFlightAverage)))
        .orElse(byBacklog);
  }

  /** The load term's count, 0 without one; a double beyond Long.MAX_VALUE casts to it. */
  static long loadTasks(ScalingParameters parameters, double inFlightAverage) {
    return parameters
        .load()
        .map(term -> (long) Math.ceil(term.tasksFor(inFlightAverage)))
        .orElse(0L);
  }

  /** The messages that count as backlog under these parameters, saturating at Long.MAX_VALUE. */
  public static long backlog(ScalingParameters parameters, QueueSnapshot queue) {
    return parameters.backlogRules().backlog(queue);
  }

  private static Decision scaleOut(
      ScalingParameters parameters,
      ScalingHistory history,
      Instant now,
      long backlog,
      int current,
      int recommended,
      Reason limit) {
    // Limits win over cooldown and step: a count below min-tasks is raised to it at once.
    int floor = Math.max(current, parameters.minTasks());
    if (history.scaledOutWithin(parameters.scaleOutCooldown(), now)) {
      return floor > current
          ? new Decision(backlog, current, recommended, floor, Action.SCALE_OUT, Reason.MIN_TASKS)
          : Decision.hold(backlog, current, recommended, Reason.COOLDOWN);
    }
    int step = parameters.maxScaleOutStep();
    if (step > 0 && (long) recommended - current > step) {
      int stepped = (int) Math.min(recommended, (long) current + step);
      return stepped >= floor
          ? new Decision(
              backlog, current, recommended, stepped, Action.SCALE_OUT, Reason.STEP_LIMIT)
          : new Decision(backlog, current, recommended, floor, Action.SCALE_OUT, Reason.MIN_TASKS);
    }
    return new Decision(backlog, current, recommended, recommended, Action.SCALE_OUT, limit);
  }

  private static Decision scaleIn(
      ScalingParameters parameters,
      ScalingHistory history,
      Instant now,
      long backlog,
      int current,
      int recommended,
      Reason limit,
      boolean belowActivation,
      Sample sample,
      PastWindow why,
      boolean afterLongPauses) {
    int windowHighest =
        history
            .highestRecommendationWithin(parameters.scaleInStabilization(), now)
            .map(highest -> Math.max(highest, recommended))
            .orElse(recommended);
    // The window rides out the noise of a busy queue's counts; a queue that has had nothing to do
    // for a minute has none, and holding its fleet only bills idle tasks until the next burst.
    // Between periodic bursts the same holds until shortly before the next one is due.
    boolean pastWindow = why != PastWindow.NO && windowHighest > recommended;
    if (pastWindow) {
      windowHighest = recommended;
    }
    Reason pastWindowReason =
        switch (why) {
          case BETWEEN_BURSTS -> Reason.BETWEEN_BURSTS;
          case LONG_PAUSES -> Reason.LONG_PAUSES;
          default -> Reason.DRAINED;
        };
    int desired = Math.min(current, windowHighest);
    Reason reason =
        windowHighest > recommended ? Reason.STABILIZING : pastWindow ? pastWindowReason : limit;
    if (reason == Reason.BACKLOG && belowActivation) {
      reason = Reason.ACTIVATION;
    }
    int step = parameters.maxScaleInStep();
    if (step > 0 && current - desired > step) {
      desired = current - step;
      reason = Reason.STEP_LIMIT;
    }
    // The last task stops only once nothing asked for a task for the whole delay (a trickle of one
    // message every few minutes keeps its task). Until then one task stays, not the whole fleet:
    // KEDA's HPA keeps its floor of one while the scaler is active and the operator goes to zero
    // after cooldownPeriod; holding every task for the delay cost task-minutes whenever the window
    // is shorter than the delay (backlog-and-load's 210 s against 300 s).
    boolean demandedRecently =
        history
            .highestRecommendationWithin(parameters.scaleToZeroDelay(), now)
            .filter(highest -> highest > 0)
            .isPresent();
    // Unless most recent pauses outlasted the delay (or the window, when longer) and the queue is
    // drained: then holding the task would have caught no message in most of them, only billed it
    // (docs/decisions.md).
    if (desired == 0 && demandedRecently && afterLongPauses) {
      reason = Reason.LONG_PAUSES;
    } else if (desired == 0 && demandedRecently) {
      desired = Math.min(current, 1);
      reason = pastWindow && desired < current ? pastWindowReason : Reason.STABILIZING;
    }
    // Samples within an invocation exist to catch growth; under the load term shrinking waits for
    // the next invocation, so a fleet steps down once a minute instead of once per sample as the
    // window's average drains (backlog-per-task keeps its documented behaviour). A release between
    // periodic bursts once the load term asks for no more than min-tasks is one step to the floor
    // (not one that max-scale-in-step cuts short), not a drain, and waiting for the next invocation
    // would spend up to a minute of the lull.
    boolean releaseToFloor =
        pastWindow
            && why == PastWindow.BETWEEN_BURSTS
            && recommended <= parameters.minTasks()
            && reason != Reason.STEP_LIMIT;
    if (sample == Sample.FOLLOW_UP && parameters.load().isPresent() && !releaseToFloor) {
      desired = current;
      reason = Reason.STABILIZING;
    }
    // Limits win over stabilization: an operator who lowers max-tasks wants it applied now.
    if (desired > parameters.maxTasks()) {
      desired = parameters.maxTasks();
      reason = Reason.MAX_TASKS;
    }
    // A check reads an idle target to catch its first message (deploy.md, "Idle checks"): it never
    // takes tasks away, under either formula, not even
    // to max-tasks; the next invocation's first sample decides that.
    if (sample == Sample.IDLE_CHECK) {
      desired = current;
      reason = Reason.STABILIZING;
    }
    if (desired == current) {
      return Decision.hold(backlog, current, recommended, Reason.STABILIZING);
    }
    return new Decision(backlog, current, recommended, desired, Action.SCALE_IN, reason);
  }

  /**
   * How long a target holds a task through a pause: its scale-to-zero delay, or its stabilization
   * window when that is longer (a pause shorter than the window is one the window exists for).
   */
  static Duration heldThrough(ScalingParameters parameters) {
    return parameters.scaleInStabilization().compareTo(parameters.scaleToZeroDelay()) > 0
        ? parameters.scaleInStabilization()
        : parameters.scaleToZeroDelay();
  }

  /** Why a scale-in may go past the stabilization window, if it may. */
  private enum PastWindow {
    NO,
    DRAINED,
    BETWEEN_BURSTS,
    LONG_PAUSES
  }

  static long ceilDiv(long dividend, long divisor) {
    return dividend / divisor + (dividend % divisor == 0 ? 0 : 1);
  }

  static int clamp(long value, int min, int max) {
    return (int) Math.max(min, Math.min(max, value));
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
