package dev.queuescaler.telemetry;

import java.util.Locale;
import java.util.Map;

/**
 * The tracer a process sends its spans with, from the environment variable {@value #VARIABLE}.
 *
 * <p>The default is {@link #XRAY} until the OpenTelemetry path has been seen in the X-Ray console
 * from a deployed stack, and in any case before the X-Ray SDK's end of support on 2027-02-25
 * (docs/tracing.md says why and when).
 */
public enum TracingChoice {
  /** The X-Ray SDK, UDP to the X-Ray daemon at {@code AWS_XRAY_DAEMON_ADDRESS}. */
  XRAY("xray"),
  /** The OpenTelemetry SDK, OTLP/HTTP protobuf to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  OTEL("otel"),
  /** No spans at all. */
  OFF("off");

  public static final String VARIABLE = "TRACING";
  public static final TracingChoice DEFAULT = XRAY;

  private final String value;

  TracingChoice(String value) {
    this.value = value;
  }

  /** The value as written in {@value #VARIABLE}. */
  public String value() {
    return value;
  }

  /**
   * Reads {@value #VARIABLE}; absent or blank is {@link #DEFAULT}; another value fails naming it.
   */
  public static TracingChoice fromEnvironment(Map<String, String> environment) {
    return parse(environment.get(VARIABLE), VARIABLE);
  }

  /**
   * Reads {@code raw} as given by {@code source} (the variable, or a flag such as {@code
   * --tracing}); absent or blank is {@link #DEFAULT}; another value fails naming {@code source}.
   */
  public static TracingChoice parse(String raw, String source) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT;
    }
    String wanted = raw.strip().toLowerCase(Locale.ROOT);
    for (TracingChoice choice : values()) {
      if (choice.value.equals(wanted)) {
        return choice;
      }
    }
    throw new IllegalArgumentException(
        source + " must be xray, otel or off but was \"" + raw + "\"");
  }
}
