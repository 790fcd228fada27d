package dev.queuescaler.generator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a profile's count moves over its period. */
public enum Shape {
  /** Smoothly between min and max: min at the start of the period, max half-way. */
  SINE,
  /** max for the first half of the period, min for the second. */
  SQUARE,
  /** From min up to max over the period, then back to min. */
  RAMP;

  public static Shape parse(String name) {
    for (Shape shape : values()) {
      if (shape.name().equalsIgnoreCase(name)) {
        return shape;
      }
    }
    throw new IllegalArgumentException(
        "profile.shape must be one of "
            + Arrays.stream(values())
                .map(s -> s.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))
            + " but was \""
            + name
            + "\"");
  }
}
