package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.IdleChecks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A check invocation: one GetQueueAttributes per idle target it names, and nothing else while every
 * queue is still empty (no parameter read, no lease, no state write). The targets whose queue
 * filled are then decided as in a scheduled cycle, under the cycle lease; when someone else still
 * holds it after a short wait, the check changes nothing and says so (see ScalingCycle).
 *
 * <p>A check that arrives too close to the next scheduled invocation reads nothing: that invocation
 * reads every target, and the check must not hold the lease it needs. For the same reason a check
 * starts no action from then on (its deadline ends where an action started then would, at its
 * worst): what does not fit is left to that invocation, which reads those queues anyway. "Too
 * close" is where the check could no longer sample a filled queue (the round's {@code ACT_LEAD}
 * before that last action), so a check that reads can also decide.
 */
final class IdleCheckRun {

  /**
   * The latest a check may start before the next scheduled invocation: it then ends (its lease with
   * it) before that invocation would give up waiting for the lease.
   */
  static final Duration LATEST_BEFORE_NEXT_INVOCATION = Duration.ofSeconds(5);

  private final QueueProbe queues;
  private final OperatorLog log;
  private final Clock clock;
  private final IdleReads idleReads;
  private final Duration worstCall;
  private final Decide decide;

  /** Decides the targets whose queue filled, under the lease. */
  @FunctionalInterface
  interface Decide {
    /**
     * Decides {@code filled} by {@code deadline}; {@code nextInvocation} is when the schedule's
     * next invocation is due (the earliest of the checks' scheduled invocations, plus the period),
     * which bounds the decisions' events as it bounds a scheduled cycle's.
     */
    CycleReport decide(Set<TargetName> filled, Deadline deadline, Instant nextInvocation);
  }

  /**
   * @param idleReads reads the queues, several at once, by a cutoff
   * @param worstCall how long one call may take at worst
   * @param decide decides the named targets under the lease, by the deadline, their events ending
   *     before the next scheduled invocation
   */
  IdleCheckRun(
      QueueProbe queues,
      OperatorLog log,
      Clock clock,
      IdleReads idleReads,
      Duration worstCall,
      Decide decide) {
    this.queues = queues;
    this.log = log;
    this.clock = clock;
    this.idleReads = idleReads;
    this.worstCall = worstCall;
    this.decide = decide;
  }

  CycleReport run(List<IdleCheck> checks, Deadline deadline, Duration period) {
    Instant now = clock.instant();
    Map<TargetName, IdleCheck.Target> toRead = new LinkedHashMap<>();
    Deadline capped = deadline;
    Instant readBy = Instant.MAX;
    Instant nextInvocation = Instant.MAX;
    for (IdleCheck check : checks) {
      Instant latest = check.invoked().plus(period).minus(LATEST_BEFORE_NEXT_INVOCATION);
      // A filled queue is sampled only before the deadline less the acting reserve, which is this
      // deadline's ACT_LEAD before latest: a check read after that could only fail to decide.
      Instant lastToSample = latest.minus(ScalingCycle.ACT_LEAD);
      if (!now.isBefore(lastToSample)) {
        log.warn(
            "idle check due at "
                + check.due()
                + " arrived at "
                + now
                + ", too close to the next scheduled invocation, which reads its "
                + check.targets().size()
                + " target(s); nothing read");
        continue;
      }
      capped = capped.startingNothingAfter(latest, TargetCycle.CALLS_TO_ACT, worstCall);
      readBy = lastToSample.isBefore(readBy) ? lastToSample : readBy;
      Instant next = check.invoked().plus(period);
      nextInvocation = next.isBefore(nextInvocation) ? next : nextInvocation;
      check.targets().forEach(target -> toRead.putIfAbsent(target.name(), target));
    }
    Map<TargetName, BooleanSupplier> reads = new LinkedHashMap<>();
    toRead.forEach(
        (name, target) ->
            reads.put(
                name, () -> IdleChecks.stillIdle(target.rules(), queues.read(target.queueUrl()))));
    Map<TargetName, IdleReads.Read> found;
    try {
      found = idleReads.read(reads, readBy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CycleReport(List.of(), List.of("idle check interrupted, nothing scaled"));
    }
    List<String> failures = new ArrayList<>();
    Set<TargetName> filled = new LinkedHashSet<>();
    int notRead = 0;
    for (Map.Entry<TargetName, IdleReads.Read> read : found.entrySet()) {
      switch (read.getValue().found()) {
        case FILLED -> filled.add(read.getKey());
        case NOT_READ -> notRead++;
        case FAILED -> {
          Throwable cause = read.getValue().failure().orElseThrow();
          String failure =
              read.getKey()
                  + ": idle check failed, nothing scaled; the next invocation reads it: "
                  + (cause instanceof RuntimeException runtime
                      ? TargetCycle.describe(runtime)
                      : String.valueOf(cause));
          log.error(failure);
          failures.add(failure);
        }
        case STILL_IDLE -> {}
      }
    }
    if (notRead > 0) {
      log.warn(
          "idle check: "
              + notRead
              + " of "
              + found.size()
              + " queue(s) not read by "
              + readBy
              + ", the last moment a filled one could still be decided before the next scheduled"
              + " invocation (SQS slow to answer); that invocation reads them");
    }
    if (filled.isEmpty()) {
      return new CycleReport(List.of(), failures);
    }
    log.info("idle check: messages for " + filled + "; deciding them");
    CycleReport decided = decide.decide(filled, capped, nextInvocation);
    failures.addAll(decided.failures());
    return new CycleReport(decided.outcomes(), failures);
  }
}
