package dev.queuescaler.scaler.policy;

import java.time.Instant;
import java.util.Objects;

/** The task count the formula recommended at one instant, after limits. */
public record Recommendation(Instant at, int tasks) {

  public Recommendation {
    Objects.requireNonNull(at, "at");
    if (tasks < 0) {
      throw new IllegalArgumentException("tasks must be >= 0 but was " + tasks);
    }
  }
}
