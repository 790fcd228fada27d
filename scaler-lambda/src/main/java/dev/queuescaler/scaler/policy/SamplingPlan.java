package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When a target is read and decided within one scheduled invocation: at the start, then every
 * {@code interval} while the next sample still falls inside the schedule's period (EventBridge
 * Scheduler's shortest rate is a minute; sampling within it is how the decision loop gets faster
 * than the schedule). Dense sampling costs Lambda time, so it goes on only while the target is
 * active: a decision that finds an empty queue and no task ends the target's samples until the next
 * invocation.
 *
 * @param interval the time between two samples, >= 5 s; a minute or more means once per invocation
 */
public record SamplingPlan(Duration interval) {

  /**
   * The schedule's period: EventBridge Scheduler's rate(1 minute), its shortest. An idle target is
   * decided once per period ({@link Cadence#EVERY_INVOCATION}).
   */
  public static final Duration SCHEDULE = Duration.ofMinutes(1);

  /** The shortest interval: a sample's reads and write take a few hundred milliseconds. */
  public static final Duration MINIMUM = Duration.ofSeconds(5);

  /** The SSM default of sample-interval-seconds (its ParameterKey). */
  public static final SamplingPlan DEFAULT = new SamplingPlan(Duration.ofSeconds(15));

  /** Once per invocation: the behaviour before sampling. */
  public static final SamplingPlan ONCE = new SamplingPlan(Duration.ofSeconds(60));

  public SamplingPlan {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException(
          "the sample interval must be >= " + MINIMUM.toSeconds() + " s but was " + interval);
    }
  }

  /** The offsets from the invocation's start at which samples are due within {@code period}. */
  public List<Duration> offsets(Duration period) {
    List<Duration> offsets = new ArrayList<>();
    offsets.add(Duration.ZERO);
    for (Duration next = interval; next.compareTo(period) < 0; next = next.plus(interval)) {
      offsets.add(next);
    }
    return offsets;
  }

  /** Whether a decision leaves the target idle: no backlog, no task wanted or running. */
  public static boolean idle(Decision decision) {
    return decision.backlog() == 0 && decision.current() == 0 && decision.desired() == 0;
  }
}
