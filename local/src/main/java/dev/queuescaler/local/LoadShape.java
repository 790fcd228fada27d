package dev.queuescaler.local;

import dev.queuescaler.simulator.TraceFile;
import java.nio.file.Path;

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

  static LoadShape parse(String name, int durationSeconds) {
    if (name.startsWith("trace:")) {
      return trace(Path.of(name.substring("trace:".length())), durationSeconds);
    }
    return switch (name) {
      case "burst" -> burst(durationSeconds);
      case "sine" -> sine();
      case "mixed" -> mixed(durationSeconds);
      default ->
          throw new IllegalArgumentException(
              "--profile must be mixed, burst, sine or trace:FILE but was " + name);
    };
  }
}
