package dev.queuescaler.scaler.report;

import java.util.Locale;
import java.util.Map;

/**
 * The levels of Lambda's application log-level filtering, least severe first. Lambda sets {@value
 * #VARIABLE} from the function's logging configuration; the scaler writes no line below it, in the
 * Lambda and in the CLI alike.
 */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  public static final String VARIABLE = "AWS_LAMBDA_LOG_LEVEL";

  /** {@value #VARIABLE}, any case; absent or blank is INFO; another value fails naming it. */
  public static LogLevel fromEnvironment(Map<String, String> environment) {
    String raw = environment.get(VARIABLE);
    if (raw == null || raw.isBlank()) {
      return INFO;
    }
    try {
      return valueOf(raw.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          VARIABLE + " must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL but was \"" + raw + "\"",
          e);
    }
  }

  /** Whether a line of {@code level} is written when this is the threshold. */
  public boolean admits(LogLevel level) {
    return level.compareTo(this) >= 0;
  }
}
