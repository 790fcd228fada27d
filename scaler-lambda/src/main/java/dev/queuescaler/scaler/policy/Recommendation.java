package dev.queuescaler.scaler.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The task count the formula recommended at one instant, after limits, and the messages in flight
 * it saw then (the load term's samples; empty for entries stored before the load term existed).
 * Once a long history is compacted ({@link ScalingHistory}), an entry may stand for several: the
 * highest of their counts at the latest of their times, without an in-flight count. {@code cadence}
 * says how often the target was sampled after it: the samples it stands for when it saw nothing in
 * flight and the next samples were equal to it (stored once).
 */
public record Recommendation(Instant at, int tasks, OptionalLong inFlight, Cadence cadence) {

  public Recommendation {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(cadence, "cadence");
    if (tasks < 0) {
      throw new IllegalArgumentException("tasks must be >= 0 but was " + tasks);
    }
    if (inFlight.isPresent() && inFlight.getAsLong() < 0) {
      throw new IllegalArgumentException("inFlight must be >= 0 but was " + inFlight.getAsLong());
    }
  }

  /** A recommendation of an active target: sampled every sample interval after it. */
  public Recommendation(Instant at, int tasks, OptionalLong inFlight) {
    this(at, tasks, inFlight, Cadence.EVERY_SAMPLE);
  }

  /** A recommendation without an in-flight sample. */
  public Recommendation(Instant at, int tasks) {
    this(at, tasks, OptionalLong.empty());
  }

  /** The same recommendation at {@code time}. */
  public Recommendation movedTo(Instant time) {
    return new Recommendation(time, tasks, inFlight, cadence);
  }
}
