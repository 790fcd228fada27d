package dev.queuescaler.scaler.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The task count the formula recommended at one instant, after limits, and the messages in flight
 * it saw then (the load term's samples; empty for entries stored before the load term existed).
 * Once a long history is compacted ({@link ScalingHistory}), an entry may stand for several: the
 * highest of their counts at the latest of their times, without an in-flight count.
 */
public record Recommendation(Instant at, int tasks, OptionalLong inFlight) {

  public Recommendation {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(inFlight, "inFlight");
    if (tasks < 0) {
      throw new IllegalArgumentException("tasks must be >= 0 but was " + tasks);
    }
    if (inFlight.isPresent() && inFlight.getAsLong() < 0) {
      throw new IllegalArgumentException("inFlight must be >= 0 but was " + inFlight.getAsLong());
    }
  }

  /** A recommendation without an in-flight sample. */
  public Recommendation(Instant at, int tasks) {
    this(at, tasks, OptionalLong.empty());
  }
}
