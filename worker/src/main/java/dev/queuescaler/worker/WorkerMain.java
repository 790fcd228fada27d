package dev.queuescaler.worker;

import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code java -jar worker.jar}: the container's entry point. Settings from the environment (exit 2
 * naming a bad one, a warning naming each {@code WORKER_} variable it does not read), clients built
 * once, the default {@link SimulatedWork} handler, and a shutdown hook so that SIGTERM (ECS
 * stopping the task) drains gracefully. An error that no retry can mend (AccessDenied,
 * QueueDoesNotExist, ...) drains too and exits 1.
 */
public final class WorkerMain {

  /** The exit status after an error that no retry can mend. */
  static final int FATAL = 1;

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    JsonLog log = new JsonLog(System.out);
    warnOfUnknownSettings(System.getenv(), log);
    WorkerSettings settings;
    WorkerTracing tracing;
    try {
      settings = WorkerSettings.fromEnvironment(System.getenv());
      tracing = tracing(settings, System.getenv());
    } catch (SettingsException e) {
      System.err.println("worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Long polls hold a connection 20 s: the socket timeout must outlast them.
    SqsClient sqs =
        SqsClient.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(settings.receiveWaitSeconds() + 10L))
                    .build())
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(Duration.ofSeconds(settings.receiveWaitSeconds() + 10L))
                        .apiCallTimeout(Duration.ofSeconds(settings.receiveWaitSeconds() + 40L))
                        .retryStrategy(RetryMode.STANDARD))
            .build();
    MeterRegistry registry =
        settings.metricsEnabled()
            ? WorkerMetrics.cloudWatch(settings.metricsNamespace(), CloudWatchAsyncClient.create())
            : new SimpleMeterRegistry();
    Worker worker;
    try {
      worker = Worker.start(settings, sqs, new SimulatedWork(), registry, tracing, log);
    } catch (SdkException e) {
      // The queue cannot be read and no retry can mend it (it does not exist, access denied): one
      // line naming the error, not a stack trace, and the status ECS reports.
      log.error(
          "start-failed",
          Map.of(
              "error",
              "GetQueueAttributes on " + settings.queueUrl() + ": " + ReceiveBackoff.describe(e),
              "consequence",
              "the worker exits; replace the task once the queue or its permissions are mended"));
      tracing.close();
      System.exit(FATAL);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.stop();
                  // After the drain: the last messages' spans have ended and leave now.
                  tracing.close();
                },
                "sigterm"));
    Optional<String> fatal = worker.awaitStoppedOrFatal();
    if (fatal.isPresent()) {
      // Drain what is held, then end non-zero: ECS replaces the task and the operator sees why.
      worker.stop();
      tracing.close();
      log.error("exit", Map.of("status", FATAL, "reason", fatal.get()));
      System.exit(FATAL);
    }
    log.info("exit", Map.of());
  }

  /**
   * The tracing {@code settings} choose. Building it is the last check of the tracing's settings:
   * the OpenTelemetry exporter refuses endpoints that the settings take ({@code http://:4318} has a
   * scheme and no host), and that is a setting error naming the variable, like the others.
   */
  static WorkerTracing tracing(WorkerSettings settings, Map<String, String> env)
      throws SettingsException {
    try {
      return WorkerTracing.chosen(settings);
    } catch (IllegalArgumentException e) {
      String variable;
      String value;
      String tracer;
      if (settings.tracing() == TracingChoice.OTEL) {
        // As OtelSettings reads them: the traces endpoint as given, before the general one.
        String traces = env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "");
        variable =
            traces.isBlank() ? "OTEL_EXPORTER_OTLP_ENDPOINT" : "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
        value = env.getOrDefault(variable, OtelSettings.DEFAULT_ENDPOINT).strip();
        tracer = "the OpenTelemetry exporter";
      } else {
        variable = "AWS_XRAY_DAEMON_ADDRESS";
        value = settings.xrayDaemonAddress();
        tracer = "the X-Ray SDK";
      }
      throw new SettingsException(
          variable + " is \"" + value + "\", which " + tracer + " refuses: " + e.getMessage());
    }
  }

  /**
   * One {@code unknown-setting} warning per {@code WORKER_} variable the worker does not read, with
   * the setting it probably meant, never its value.
   */
  static void warnOfUnknownSettings(Map<String, String> env, JsonLog log) {
    // A warning, not exit 2: the handler in the same container may read WORKER_ variables of its
    // own, and a task definition may set one that a newer image reads and this one (after a
    // rollback) does not. A typo leaves a valid default in force; stopping every task over it would
    // turn it into an outage.
    for (UnknownSetting unknown : WorkerSettings.unknownNames(env)) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("name", unknown.name());
      unknown
          .closest()
          .ifPresentOrElse(
              closest -> fields.put("closest", closest),
              () -> fields.put("known", WorkerSettings.KNOWN_NAMES));
      fields.put("consequence", "not read: the worker runs as if it were not set");
      log.warn("unknown-setting", fields);
    }
  }
}
