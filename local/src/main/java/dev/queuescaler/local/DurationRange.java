package dev.queuescaler.local;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The durations one option accepts, written as people write them ({@code 500ms}, {@code 90s},
 * {@code 10m}, {@code 1h}, {@code 7d}): a value that does not read, is not positive or is out of
 * the range is rejected with the option's name, the range and the value.
 *
 * @param min the shortest accepted, positive
 * @param max the longest accepted, at least {@code min}
 */
record DurationRange(Duration min, Duration max) {

  DurationRange {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("not a range of positive durations: " + min + ".." + max);
    }
  }

  /** The duration {@code text} says, checked against this range. */
  Duration parse(String text, String option) {
    Duration d =
        read(text.strip().toLowerCase(Locale.ROOT))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        option
                            + " must be a duration such as 90s, 10m or 1h ("
                            + this
                            + ") but was \""
                            + text
                            + "\""));
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          option + " must be positive (" + this + ") but was \"" + text + "\"");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + " must be " + this + " but was \"" + text + "\"");
    }
    return d;
  }

  /** {@code from 100ms to 1h}. */
  @Override
  public String toString() {
    return "from " + format(min) + " to " + format(max);
  }

  private static Optional<Duration> read(String t) {
    try {
      if (t.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
      }
      if (t.length() < 2) {
        return Optional.empty();
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Optional.of(Duration.ofSeconds(n));
        case 'm' -> Optional.of(Duration.ofMinutes(n));
        case 'h' -> Optional.of(Duration.ofHours(n));
        case 'd' -> Optional.of(Duration.ofDays(n));
        default -> Optional.empty();
      };
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** The largest unit that writes it whole: 100ms, 90s, 10m, 1h, 7d. */
  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
