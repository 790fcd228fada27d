package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When an idle target (no backlog, no task: {@link SamplingPlan#idle}) is read again within the
 * schedule's period. Once a minute, the schedule's own invocation, a first message waits up to a
 * minute to be seen; KEDA's operator polls every 30 s. An idle check is one GetQueueAttributes call
 * and no write, so it can come from a short invocation of its own (a delayed trigger at that
 * offset) instead of keeping the scheduled one alive: the check is cheap, the waiting is what
 * costs.
 *
 * @param interval the time between two checks of an idle target, 5-60 s (51-59 s: one check, at 50
 *     s); 60 s: the schedule alone
 */
public record IdleChecks(Duration interval) {

  /** The schedule alone: an idle target is read once a minute. */
  public static final IdleChecks SCHEDULE_ONLY = new IdleChecks(Duration.ofSeconds(60));

  public IdleChecks {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(SamplingPlan.MINIMUM) < 0
        || interval.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException(
          "an idle check interval must be 5-60 s but was " + interval.toSeconds() + " s");
    }
  }

  /**
   * How long before the next scheduled invocation the last check is due: a check holds the cycle
   * lease for a few seconds, and the next invocation must find it free (or about to be).
   */
  public static final Duration CLEAR_OF_THE_NEXT_INVOCATION = Duration.ofSeconds(10);

  /**
   * The offsets after the schedule's invocation at which an idle target is read, within period and
   * at least {@link #CLEAR_OF_THE_NEXT_INVOCATION} before its end. An interval shorter than the
   * period always gets a check: one past that latest offset (51-59 s in a minute) is read there, at
   * 50 s, so it never waits longer than it asked for; only the period itself means the schedule
   * alone.
   */
  public List<Duration> offsets(Duration period) {
    List<Duration> offsets = new ArrayList<>();
    Duration last = period.minus(CLEAR_OF_THE_NEXT_INVOCATION);
    for (Duration next = interval; next.compareTo(last) <= 0; next = next.plus(interval)) {
      offsets.add(next);
    }
    if (offsets.isEmpty() && interval.compareTo(period) < 0 && last.compareTo(Duration.ZERO) > 0) {
      offsets.add(last);
    }
    return offsets;
  }

  /** Whether an idle target is read at {@code offset} after the schedule's invocation. */
  public boolean due(Duration offset, Duration period) {
    return offsets(period).contains(offset);
  }

  /**
   * Whether a check's queue read leaves the target idle: what its decision would see (its own
   * count-in-flight and count-delayed) is below its activation-backlog, so the decision would keep
   * the service at zero. Then it is not decided and nothing is stored; otherwise it is sampled as
   * usual. A message that does not count (delayed, at count-delayed false) wakes nothing: decided,
   * it would change nothing, at every check for as long as it waits.
   */
  public static boolean stillIdle(BacklogRules rules, QueueSnapshot queue) {
    return rules.belowActivation(queue);
  }

  /** Whether this is the schedule alone: no check between invocations. */
  public boolean scheduleOnly() {
    return offsets(Duration.ofSeconds(60)).isEmpty();
  }

  /** The extra invocations a month, for a target idle all month (the Lambda cost's driver). */
  public long invocationsPerMonth(Duration period) {
    return offsets(period).size() * (30L * 24 * 3600 / period.toSeconds());
  }
}
