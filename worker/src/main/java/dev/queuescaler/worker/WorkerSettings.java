package dev.queuescaler.worker;

import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worker's settings, read once from the environment.
 *
 * @param queueUrl {@code QUEUE_URL}, required
 * @param concurrency {@code WORKER_CONCURRENCY}, concurrent receive loops (each holds up to ten
 *     messages), default 4, 1..64
 * @param shutdownBudget {@code WORKER_SHUTDOWN_SECONDS}, default 25, 1..100: how long started work
 *     may take after SIGTERM; ECS must give the container a stopTimeout 20 s longer (infra does)
 * @param maxProcessing {@code WORKER_MAX_PROCESSING_SECONDS}, default 900 (15 minutes), 1..43200
 *     (12 hours, SQS's longest visibility timeout): how long one message may be held before its
 *     work counts as stuck and the message goes back to SQS
 * @param metricsNamespace {@code METRICS_NAMESPACE}, default {@code QueueWorker}
 * @param metricsEnabled {@code METRICS_ENABLED}, default true
 * @param ecsAgentUri {@code ECS_AGENT_URI}, set by ECS; enables task scale-in protection
 * @param xrayDaemonAddress {@code AWS_XRAY_DAEMON_ADDRESS}, default {@code 127.0.0.1:2000}
 * @param tracing {@code TRACING}: {@code xray} (default), {@code otel} or {@code off}
 * @param otel {@code OTEL_EXPORTER_OTLP_ENDPOINT} (default {@code http://localhost:4318}, the
 *     collector sidecar) and {@code OTEL_SERVICE_NAME} (default {@code queue-worker}); present
 *     exactly when {@code otel} is chosen, so that a variable left for another tracer cannot stop
 *     the worker
 */
public record WorkerSettings(
    String queueUrl,
    int concurrency,
    Duration shutdownBudget,
    Duration maxProcessing,
    String metricsNamespace,
    boolean metricsEnabled,
    Optional<URI> ecsAgentUri,
    String xrayDaemonAddress,
    TracingChoice tracing,
    Optional<OtelSettings> otel) {

  public WorkerSettings {
    if (otel.isPresent() != (tracing == TracingChoice.OTEL)) {
      throw new IllegalArgumentException(
          "OpenTelemetry settings go with TRACING=otel only, but TRACING is " + tracing);
    }
  }

  public static WorkerSettings fromEnvironment(Map<String, String> env) throws SettingsException {
    String queueUrl = env.getOrDefault("QUEUE_URL", "").trim();
    if (queueUrl.isEmpty()) {
      throw new SettingsException("QUEUE_URL is required: the URL of the queue to work on");
    }
    if (!queueUrl.startsWith("https://") && !queueUrl.startsWith("http://")) {
      throw new SettingsException("QUEUE_URL must be an SQS queue URL but was " + queueUrl);
    }
    int concurrency = integer(env, Tunable.CONCURRENCY);
    int shutdownSeconds = integer(env, Tunable.SHUTDOWN_SECONDS);
    int maxProcessingSeconds = integer(env, Tunable.MAX_PROCESSING_SECONDS);
    String namespace = env.getOrDefault("METRICS_NAMESPACE", "QueueWorker").trim();
    if (namespace.isEmpty()) {
      throw new SettingsException("METRICS_NAMESPACE must not be empty");
    }
    boolean metrics = bool(env, "METRICS_ENABLED", true);
    Optional<URI> agent = Optional.empty();
    String agentUri = env.getOrDefault("ECS_AGENT_URI", "").trim();
    if (!agentUri.isEmpty()) {
      try {
        agent = Optional.of(URI.create(agentUri));
      } catch (IllegalArgumentException e) {
        throw new SettingsException("ECS_AGENT_URI is not a URI: " + agentUri);
      }
    }
    TracingChoice tracing;
    Optional<OtelSettings> otel;
    try {
      tracing = TracingChoice.fromEnvironment(env);
      otel =
          tracing == TracingChoice.OTEL
              ? Optional.of(OtelSettings.fromEnvironment(env, WorkerTracing.SEGMENT))
              : Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new SettingsException(e.getMessage());
    }
    String daemonAddress = env.getOrDefault("AWS_XRAY_DAEMON_ADDRESS", DEFAULT_DAEMON_ADDRESS);
    // The X-Ray SDK reads this variable itself and throws on a bad one (or drops every segment):
    // checked here, with the tracer that reads it, so that it is a setting error naming it.
    if (tracing == TracingChoice.XRAY && !isDaemonAddress(daemonAddress)) {
      throw new SettingsException(
          "AWS_XRAY_DAEMON_ADDRESS is \""
              + daemonAddress
              + "\": give host:port, e.g. "
              + DEFAULT_DAEMON_ADDRESS);
    }
    return new WorkerSettings(
        queueUrl,
        concurrency,
        Duration.ofSeconds(shutdownSeconds),
        Duration.ofSeconds(maxProcessingSeconds),
        namespace,
        metrics,
        agent,
        daemonAddress,
        tracing,
        otel);
  }

  /**
   * The worker's own {@code WORKER_} variables, each with its default and range: the one list of
   * them, read by {@link #fromEnvironment} and known to {@link #unknownNames}.
   */
  enum Tunable {
    CONCURRENCY("WORKER_CONCURRENCY", 4, 1, 64),
    // Fargate's stopTimeout is at most 120 s (ECS ContainerDefinition), and the stop counts on
    // QueueWorker.STOP_MARGIN (20 s) past the budget: above 100 the kill would cut its last
    // deletes, its give-back and its report.
    SHUTDOWN_SECONDS(
        "WORKER_SHUTDOWN_SECONDS",
        25,
        1,
        100,
        " (Fargate kills a task at most 120 s after SIGTERM, and the stop needs the 20 s after"
            + " the budget for its last deletes, its give-back and its report)"),
    MAX_PROCESSING_SECONDS("WORKER_MAX_PROCESSING_SECONDS", 900, 1, 43_200);

    final String variable;
    final int fallback;
    final int min;
    final int max;
    final String whyThisRange;

    Tunable(String variable, int fallback, int min, int max) {
      this(variable, fallback, min, max, "");
    }

    Tunable(String variable, int fallback, int min, int max, String whyThisRange) {
      this.variable = variable;
      this.fallback = fallback;
      this.min = min;
      this.max = max;
      this.whyThisRange = whyThisRange;
    }
  }

  /** The {@code WORKER_} variables the worker reads. */
  public static final List<String> KNOWN_NAMES =
      Arrays.stream(Tunable.values()).map(tunable -> tunable.variable).toList();

  /**
   * The variables in {@code env} that look like the worker's (named {@code WORKER_...} in any case,
   * or a letter or two from one of its names) but are none it reads, by name, each with the one it
   * probably meant: a typo leaves its setting at the default, silently unless someone says so.
   */
  public static List<UnknownSetting> unknownNames(Map<String, String> env) {
    return UnknownSetting.in(env.keySet(), "WORKER_", KNOWN_NAMES);
  }

  private static final String DEFAULT_DAEMON_ADDRESS = "127.0.0.1:2000";

  /** {@code host:port}, or the X-Ray SDK's {@code tcp:host:port udp:host:port}. */
  private static final Pattern DAEMON_ADDRESS =
      Pattern.compile("[^\\s:]+:\\d{1,5}|(tcp|udp):[^\\s:]+:\\d{1,5} (tcp|udp):[^\\s:]+:\\d{1,5}");

  private static boolean isDaemonAddress(String address) {
    if (!DAEMON_ADDRESS.matcher(address).matches()) {
      return false;
    }
    for (String part : address.split(" ")) {
      int port = Integer.parseInt(part.substring(part.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) {
        return false;
      }
    }
    return true;
  }

  /** The queue's name, the last path element of its URL (the metrics' dimension). */
  public String queueName() {
    return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }

  /**
   * The long-poll wait: 20 s, but short enough that a receive in flight at SIGTERM returns before
   * the shutdown budget ends, so no message it brings is stranded in flight.
   */
  public int receiveWaitSeconds() {
    return (int) Math.max(1, Math.min(20, shutdownBudget.toSeconds() - 5));
  }

  private static int integer(Map<String, String> env, Tunable tunable) throws SettingsException {
    String name = tunable.variable;
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return tunable.fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < tunable.min || value > tunable.max) {
        throw new SettingsException(
            name
                + " must be between "
                + tunable.min
                + " and "
                + tunable.max
                + " but was "
                + value
                + tunable.whyThisRange);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new SettingsException(name + " must be an integer but was \"" + raw + "\"");
    }
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback)
      throws SettingsException {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new SettingsException(name + " must be true or false but was \"" + raw + "\"");
    };
  }

  /**
   * The messages one task holds at a time with {@code concurrency} receive loops: each loop keeps
   * up to {@value QueueWorker#SLOTS_PER_LOOP} in flight. The scaler's {@code task-concurrency}.
   */
  public static int messagesAtOnce(int concurrency) {
    return concurrency * QueueWorker.SLOTS_PER_LOOP;
  }

  /**
   * The stopTimeout (seconds) the stop counts on ECS giving the worker's container for a budget of
   * {@code shutdownSeconds}: its give-back ends {@link QueueWorker#AFTER_GIVE_BACK} before it.
   */
  public static int stopTimeoutSeconds(int shutdownSeconds) {
    return shutdownSeconds + (int) QueueWorker.STOP_MARGIN.toSeconds();
  }
}
