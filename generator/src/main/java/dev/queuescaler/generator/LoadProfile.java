package dev.queuescaler.generator;

import java.time.Instant;
import java.util.Objects;

/**
 * A count that follows a shape over time, so that an every-minute schedule gives realistic waves.
 *
 * @param shape sine, square or ramp
 * @param min the lowest count, >= 0
 * @param max the highest count, >= min and <= {@link GenerateRequest#MAX_COUNT}
 * @param periodMinutes the length of one wave, >= 1
 */
public record LoadProfile(Shape shape, int min, int max, int periodMinutes) {

  public LoadProfile {
    Objects.requireNonNull(shape, "shape");
    if (min < 0) {
      throw new IllegalArgumentException("profile.min must be >= 0 but was " + min);
    }
    if (max < min || max > GenerateRequest.MAX_COUNT) {
      throw new IllegalArgumentException(
          "profile.max must be between profile.min ("
              + min
              + ") and "
              + GenerateRequest.MAX_COUNT
              + " but was "
              + max);
    }
    if (periodMinutes < 1) {
      throw new IllegalArgumentException(
          "profile.periodMinutes must be >= 1 but was " + periodMinutes);
    }
  }

  /** The count for the minute that contains {@code now} (minutes since the epoch, UTC). */
  public int countAt(Instant now) {
    long minute = Math.floorDiv(now.getEpochSecond(), 60);
    double phase = (double) Math.floorMod(minute, periodMinutes) / periodMinutes;
    double level =
        switch (shape) {
          case SINE -> (1 - Math.cos(2 * Math.PI * phase)) / 2;
          case SQUARE -> phase < 0.5 ? 1 : 0;
          case RAMP -> phase;
        };
    return (int) Math.round(min + (max - min) * level);
  }
}
