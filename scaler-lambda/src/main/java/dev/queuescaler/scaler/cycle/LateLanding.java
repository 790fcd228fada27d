package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Objects;

/**
 * An earlier sample's scale that ECS applied after that sample read the service back (its
 * UpdateService's outcome was unknown), as the sample that saw it landed announces it.
 *
 * @param announcement its event's record ({@link DecisionRecord#landedLate})
 * @param decidedAt when the earlier sample decided it
 */
public record LateLanding(DecisionRecord announcement, Instant decidedAt) {

  public LateLanding {
    Objects.requireNonNull(announcement, "announcement");
    Objects.requireNonNull(decidedAt, "decidedAt");
    if (!announcement.landedLate()) {
      throw new IllegalArgumentException("a late landing's record says it landed late");
    }
  }
}
