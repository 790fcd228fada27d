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

  /** What an endpoint must be, for the messages. */
  private static final String SENDABLE =
      "an http or https URL with a host, and a port from 1 to 65535 if it gives one"
          + " (http://collector:4318)";

  public OtelSettings {
    Objects.requireNonNull(tracesEndpoint, "tracesEndpoint");
    if (!sendable(tracesEndpoint)) {
      throw new IllegalArgumentException(
          "the OTLP endpoint must be " + SENDABLE + " but was \"" + tracesEndpoint + "\"");
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
    // What the variable holds, for the messages: the endpoint may have /v1/traces appended.
    String given;
    if (traces != null && !traces.isBlank()) {
      endpoint = traces.strip();
      variable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
      given = endpoint;
    } else {
      String root = base == null || base.isBlank() ? DEFAULT_ENDPOINT : base.strip();
      endpoint = (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/v1/traces";
      variable = "OTEL_EXPORTER_OTLP_ENDPOINT";
      given = root;
    }
    String problem = variable + " must be " + SENDABLE + " but was \"" + given + "\"";
    URI uri;
    URI asGiven;
    try {
      uri = URI.create(endpoint);
      asGiven = URI.create(given);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(problem, e);
    }
    // Checked here too, not only in the constructor, so that the message names the variable and
    // its value: "collector:4318" parses as a URI whose scheme is "collector", "http://:4318" as
    // one without a host. The value as given is checked as well: "http://" with the path appended
    // reads as http://v1/traces, whose host would be "v1".
    if (!sendable(asGiven) || !sendable(uri)) {
      throw new IllegalArgumentException(problem);
    }
    String name = env.getOrDefault("OTEL_SERVICE_NAME", "");
    return new OtelSettings(
        uri, name.isBlank() ? defaultServiceName : name.strip(), DEFAULT_EXPORT_TIMEOUT);
  }

  /**
   * Whether the OTLP exporter can send to {@code uri}: http or https, a host (a URI without "//",
   * or whose authority is no host and port, has none), and a port in range when it gives one.
   * Otherwise the OpenTelemetry SDK refuses some only when the exporter is built, in a message that
   * names no variable, and takes others that no span could reach.
   */
  private static boolean sendable(URI uri) {
    boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    boolean host = uri.getHost() != null && !uri.getHost().isEmpty();
    int port = uri.getPort();
    return http && host && (port == -1 || (port >= 1 && port <= 65_535));
  }
}
