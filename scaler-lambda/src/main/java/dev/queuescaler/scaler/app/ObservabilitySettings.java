package dev.queuescaler.scaler.app;

import dev.queuescaler.scaler.report.LogLevel;
import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import java.util.Map;
import java.util.Objects;

/**
 * How the scaler traces and logs, read once from the environment.
 *
 * @param tracing {@code TRACING}: {@code xray} (default), {@code otel} or {@code off}
 * @param otel where OpenTelemetry spans go ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 *     OTEL_SERVICE_NAME}, default {@value #SERVICE_NAME}); read only when {@code otel} is chosen
 * @param logLevel {@code AWS_LAMBDA_LOG_LEVEL}, which Lambda sets from the function's logging
 *     configuration; default INFO
 */
public record ObservabilitySettings(TracingChoice tracing, OtelSettings otel, LogLevel logLevel) {

  public static final String SERVICE_NAME = "queue-scaler";

  public ObservabilitySettings {
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(otel, "otel");
    Objects.requireNonNull(logLevel, "logLevel");
  }

  /** Reads the settings; a bad value fails with its variable's name. */
  public static ObservabilitySettings fromEnvironment(Map<String, String> environment) {
    return new ObservabilitySettings(
        TracingChoice.fromEnvironment(environment),
        OtelSettings.fromEnvironment(environment, SERVICE_NAME),
        LogLevel.fromEnvironment(environment));
  }
}
