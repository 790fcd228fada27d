package dev.queuescaler.local;

import dev.queuescaler.simulator.TraceFile;
import java.nio.file.Path;
import java.util.Locale;

/** How many messages the generator sends in each second of the run. */
interface LoadShape {

  int messagesAt(int second);

  /** 2,000 messages at once after 20 s of idle, then nothing. */
  static LoadShape burst(int durationSeconds) {
    int at = Math.min(20, durationSeconds / 10);
    return second -> second == at ? 2_000 : 0;
  }

  /** A sine wave between 0 and 40 messages/s with a 4-minute period. */
  static LoadShape sine() {
    return second -> (int) Math.round(20 * (1 - Math.cos(2 * Math.PI * second / 240.0)));
  }

  /** The default: idle, a burst, a sine wave, idle (each a quarter of the run). */
  static LoadShape mixed(int durationSeconds) {
    int quarter = Math.max(1, durationSeconds / 4);
    LoadShape sine = sine();
    return second -> {
      if (second == quarter / 2) {
        return 2_000;
      }
      if (second >= 2 * quarter && second < 3 * quarter) {
        return sine.messagesAt(second - 2 * quarter);
      }
      return 0;
    };
  }

  /**
   * A trace from traces/ (or any CSV in its format), replayed from its start; a file that is
   * missing or malformed is an {@link IllegalArgumentException} that names it.
   */
  static LoadShape trace(Path file, int durationSeconds) {
    TraceFile.Trace trace = TraceFile.load(file);
    int bins = (durationSeconds + trace.binSeconds() - 1) / trace.binSeconds();
    int[] counts = trace.arrivals(1, 0, bins, 1);
    return second -> second < counts.length ? counts[second] : 0;
  }

  /**
   * The shape a --profile names; the names in any case, as the simulator's --scenario and the
   * --tracing choice take them.
   */
  static LoadShape parse(String name, int durationSeconds) {
    String trace = "trace:";
    if (name.regionMatches(true, 0, trace, 0, trace.length())) {
      String file = name.substring(trace.length());
      if (file.isBlank()) {
        throw new IllegalArgumentException(
            "--profile trace: needs a file, e.g. trace:traces/x.csv");
      }
      return trace(Path.of(file), durationSeconds);
    }
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "burst" -> burst(durationSeconds);
      case "sine" -> sine();
      case "mixed" -> mixed(durationSeconds);
      default ->
          throw new IllegalArgumentException(
              "--profile must be mixed, burst, sine or trace:FILE but was " + name);
    };
  }
}
