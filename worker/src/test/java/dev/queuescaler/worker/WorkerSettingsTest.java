package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerSettingsTest {

  private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs";

  @Test
  void defaultsEverythingButTheQueue() throws SettingsException {
    WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of("QUEUE_URL", QUEUE));

    assertThat(settings.concurrency()).isEqualTo(4);
    assertThat(settings.shutdownBudget()).isEqualTo(Duration.ofSeconds(25));
    assertThat(settings.maxProcessing()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.metricsNamespace()).isEqualTo("QueueWorker");
    assertThat(settings.metricsEnabled()).isTrue();
    assertThat(settings.ecsAgentUri()).isEmpty();
    assertThat(settings.queueName()).isEqualTo("jobs");
    assertThat(settings.receiveWaitSeconds()).isEqualTo(20);
  }

  @Test
  void theDefaultsDocsWorkerMdGivesAreTheOnesInForce() throws Exception {
    WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of("QUEUE_URL", QUEUE));
    String doc = Files.readString(Path.of("..", "docs", "worker.md"));

    assertThat(doc)
        .contains("| `WORKER_CONCURRENCY` | " + settings.concurrency() + " |")
        .contains("| `WORKER_SHUTDOWN_SECONDS` | " + settings.shutdownBudget().toSeconds() + " |")
        .contains(
            "| `WORKER_MAX_PROCESSING_SECONDS` | " + settings.maxProcessing().toSeconds() + " |")
        .contains("(1-43200,");
  }

  @Test
  void aShortShutdownBudgetShortensTheLongPollSoNoReceiveOutlivesIt() throws SettingsException {
    WorkerSettings settings =
        WorkerSettings.fromEnvironment(Map.of("QUEUE_URL", QUEUE, "WORKER_SHUTDOWN_SECONDS", "8"));

    assertThat(settings.receiveWaitSeconds()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}={1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "QUEUE_URL | '' | QUEUE_URL is required",
        "QUEUE_URL | jobs | QUEUE_URL must be an SQS queue URL",
        "WORKER_CONCURRENCY | 0 | WORKER_CONCURRENCY must be between 1 and 64",
        "WORKER_CONCURRENCY | four | WORKER_CONCURRENCY must be an integer",
        "WORKER_SHUTDOWN_SECONDS | 200 | WORKER_SHUTDOWN_SECONDS must be between 1 and 115",
        "WORKER_MAX_PROCESSING_SECONDS | 0 | WORKER_MAX_PROCESSING_SECONDS must be between 1 and 43200",
        "WORKER_MAX_PROCESSING_SECONDS | 43201 | WORKER_MAX_PROCESSING_SECONDS must be between 1 and"
            + " 43200",
        "WORKER_MAX_PROCESSING_SECONDS | 15m | WORKER_MAX_PROCESSING_SECONDS must be an integer",
        "METRICS_ENABLED | yes | METRICS_ENABLED must be true or false",
        "METRICS_NAMESPACE | ' ' | METRICS_NAMESPACE must not be empty",
        "AWS_XRAY_DAEMON_ADDRESS | localhost:notaport | AWS_XRAY_DAEMON_ADDRESS is",
        "AWS_XRAY_DAEMON_ADDRESS | collector | AWS_XRAY_DAEMON_ADDRESS is",
        "AWS_XRAY_DAEMON_ADDRESS | 127.0.0.1:70000 | AWS_XRAY_DAEMON_ADDRESS is",
        "AWS_XRAY_DAEMON_ADDRESS | '' | AWS_XRAY_DAEMON_ADDRESS is"
      })
  void rejectsABadSettingNamingIt(String name, String value, String message) {
    Map<String, String> env = new HashMap<>(Map.of("QUEUE_URL", QUEUE));
    env.put(name, value);

    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(message);
  }

  // The X-Ray SDK reads AWS_XRAY_DAEMON_ADDRESS itself and throws on a bad one, so it is checked
  // here; with another tracer nothing reads it, and it must not stop the worker.
  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"otel", "off"})
  void anXRayDaemonAddressIsNotReadWhenXRayIsNotChosen(String tracing) throws SettingsException {
    WorkerSettings settings =
        WorkerSettings.fromEnvironment(
            Map.of("QUEUE_URL", QUEUE, "TRACING", tracing, "AWS_XRAY_DAEMON_ADDRESS", "collector"));

    assertThat(settings.tracing().value()).isEqualTo(tracing);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"127.0.0.1:2000", "xray-daemon:2000", "tcp:10.0.0.1:2000 udp:10.0.0.1:2000"})
  void acceptsTheDaemonAddressesTheXRaySdkAccepts(String address) throws SettingsException {
    WorkerSettings settings =
        WorkerSettings.fromEnvironment(
            Map.of("QUEUE_URL", QUEUE, "AWS_XRAY_DAEMON_ADDRESS", address));

    assertThat(settings.xrayDaemonAddress()).isEqualTo(address);
  }

  // docs/tracing.md: the OTEL_* variables are read only with otel, so an endpoint the worker never
  // uses (a common "host:port" without a scheme) must not make it exit 2 with xray or off.
  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"xray", "off"})
  void anOtlpEndpointIsNotReadWhenOpenTelemetryIsNotChosen(String tracing) {
    assertThatCode(
            () ->
                WorkerSettings.fromEnvironment(
                    Map.of(
                        "QUEUE_URL", QUEUE,
                        "TRACING", tracing,
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .doesNotThrowAnyException();
  }

  @Test
  void anOtlpEndpointWithoutASchemeFailsWithOpenTelemetryNamingTheVariable() {
    assertThatThrownBy(
            () ->
                WorkerSettings.fromEnvironment(
                    Map.of(
                        "QUEUE_URL", QUEUE,
                        "TRACING", "otel",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT")
        .hasMessageContaining("collector:4318");
  }
}
