package dev.queuescaler.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where OpenTelemetry spans go, read once from the standard variables. Only these are read: the SDK
 * is built by hand (no autoconfiguration), which keeps the Lambda's cold start small.
 *
 * @param tracesEndpoint {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as given, else {@code
 *     OTEL_EXPORTER_OTLP_ENDPOINT} with {@code /v1/traces} appended, else {@code
 *     http://localhost:4318/v1/traces} (a collector beside the process: the ADOT sidecar on
 *     Fargate, the ADOT layer's extension in a Lambda)
 * @param serviceName {@code OTEL_SERVICE_NAME}, else the program's own name; X-Ray shows it as the
 *     node's name
 * @param exportTimeout how long one export may take before it is given up: spans are worth less
 *     than the work they describe
 */
public record OtelSettings(URI tracesEndpoint, String serviceName, Duration exportTimeout) {

  public static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(2);

  public OtelSettings {
    Objects.requireNonNull(tracesEndpoint, "tracesEndpoint");
    if (!"http".equals(tracesEndpoint.getScheme()) && !"https".equals(tracesEndpoint.getScheme())) {
      throw new IllegalArgumentException(
          "the OTLP endpoint must be an http or https URL but was " + tracesEndpoint);
    }
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException("OTEL_SERVICE_NAME must not be blank");
    }
    if (exportTimeout.isNegative() || exportTimeout.isZero()) {
      throw new IllegalArgumentException("the export timeout must be positive: " + exportTimeout);
    }
  }

  public static OtelSettings fromEnvironment(Map<String, String> env, String defaultServiceName) {
    String traces = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    String endpoint;
    String variable;
    if (traces != null && !traces.isBlank()) {
      endpoint = traces.strip();
      variable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    } else {
      String root = base == null || base.isBlank() ? DEFAULT_ENDPOINT : base.strip();
      endpoint = (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/v1/traces";
      variable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + " is not a URL: " + endpoint, e);
    }
    String name = env.getOrDefault("OTEL_SERVICE_NAME", "");
    return new OtelSettings(
        uri, name.isBlank() ? defaultServiceName : name.strip(), DEFAULT_EXPORT_TIMEOUT);
  }
}
