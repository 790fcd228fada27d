package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void theLongestAcceptedBudgetLeavesTheStopItsMarginInsideFargatesLongestStopTimeout()
      throws SettingsException {
    String longest = Integer.toString(WorkerSettings.Tunable.SHUTDOWN_SECONDS.max);
    WorkerSettings settings =
        WorkerSettings.fromEnvironment(
            Map.of("QUEUE_URL", QUEUE, "WORKER_SHUTDOWN_SECONDS", longest));

    // Fargate's stopTimeout is at most 120 s (ECS ContainerDefinition): the stop's give-back ends
    // 5 s before the kill it counts on, which must be one ECS can give.
    assertThat(WorkerSettings.stopTimeoutSeconds((int) settings.shutdownBudget().toSeconds()))
        .isLessThanOrEqualTo(120);
  }

  @ParameterizedTest(name = "{0}={1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "QUEUE_URL | '' | QUEUE_URL is required",
        "QUEUE_URL | jobs | QUEUE_URL must be an SQS queue URL",
        "WORKER_CONCURRENCY | 0 | WORKER_CONCURRENCY must be between 1 and 64",
        "WORKER_CONCURRENCY | four | WORKER_CONCURRENCY must be an integer",
        "WORKER_SHUTDOWN_SECONDS | 200 | WORKER_SHUTDOWN_SECONDS must be between 1 and 100",
        "WORKER_SHUTDOWN_SECONDS | 101 | WORKER_SHUTDOWN_SECONDS must be between 1 and 100 but was"
            + " 101 (Fargate kills a task at most 120 s after SIGTERM",
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

  @Test
  void aMistypedWorkerSettingIsNamedWithTheSettingItProbablyMeant() {
    List<UnknownSetting> unknown =
        WorkerSettings.unknownNames(
            Map.of(
                "QUEUE_URL", QUEUE,
                "WORKER_CONCURENCY", "32",
                "WORKER_SHUTDOWN_SECOND", "60",
                "worker_concurrency", "8",
                "WORKER_MAX_PROCESING_SECS", "600"));

    assertThat(unknown)
        .containsExactly(
            new UnknownSetting("WORKER_CONCURENCY", Optional.of("WORKER_CONCURRENCY")),
            new UnknownSetting(
                "WORKER_MAX_PROCESING_SECS", Optional.of("WORKER_MAX_PROCESSING_SECONDS")),
            new UnknownSetting("WORKER_SHUTDOWN_SECOND", Optional.of("WORKER_SHUTDOWN_SECONDS")),
            new UnknownSetting("worker_concurrency", Optional.of("WORKER_CONCURRENCY")));
  }

  @Test
  void aSettingWhosePrefixIsMisspelledIsReportedWithTheSettingItMeant() {
    List<UnknownSetting> unknown =
        WorkerSettings.unknownNames(
            Map.of(
                "QUEUE_URL", QUEUE,
                "WORKR_CONCURRENCY", "32",
                "WOKRER_SHUTDOWN_SECONDS", "60",
                "WORKER-MAX_PROCESSING_SECONDS", "600",
                "worke_concurrency", "8"));

    assertThat(unknown)
        .containsExactly(
            new UnknownSetting("WOKRER_SHUTDOWN_SECONDS", Optional.of("WORKER_SHUTDOWN_SECONDS")),
            new UnknownSetting(
                "WORKER-MAX_PROCESSING_SECONDS", Optional.of("WORKER_MAX_PROCESSING_SECONDS")),
            new UnknownSetting("WORKR_CONCURRENCY", Optional.of("WORKER_CONCURRENCY")),
            new UnknownSetting("worke_concurrency", Optional.of("WORKER_CONCURRENCY")));
  }

  @Test
  void aSettingWrittenInAnotherNamingStyleIsReportedHoweverManySeparatorsItHas() {
    // worker.shutdown.seconds has two separators to change, worker.max.processing.seconds four:
    // the one mistake, a naming style, must not be reported for one setting and not the other.
    List<UnknownSetting> unknown =
        WorkerSettings.unknownNames(
            Map.of(
                "QUEUE_URL", QUEUE,
                "worker.shutdown.seconds", "60",
                "worker.max.processing.seconds", "600",
                "WORKER-MAX-PROCESSING-SECONDS", "600",
                "workerMaxProcessingSeconds", "600"));

    assertThat(unknown)
        .containsExactly(
            new UnknownSetting(
                "WORKER-MAX-PROCESSING-SECONDS", Optional.of("WORKER_MAX_PROCESSING_SECONDS")),
            new UnknownSetting(
                "worker.max.processing.seconds", Optional.of("WORKER_MAX_PROCESSING_SECONDS")),
            new UnknownSetting("worker.shutdown.seconds", Optional.of("WORKER_SHUTDOWN_SECONDS")),
            new UnknownSetting(
                "workerMaxProcessingSeconds", Optional.of("WORKER_MAX_PROCESSING_SECONDS")));
  }

  @Test
  void aVariableOfAnotherProgramIsNotTakenForAMisspelledSetting() {
    assertThat(
            WorkerSettings.unknownNames(
                Map.of(
                    "QUEUE_URL", QUEUE,
                    "CONCURRENCY", "3",
                    "SHUTDOWN_SECONDS", "60",
                    "ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x",
                    "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                    "JAVA_TOOL_OPTIONS", "-Xmx512m")))
        .isEmpty();
  }

  @Test
  void aWorkerVariableLikeNoSettingIsNamedWithoutAGuess() {
    assertThat(WorkerSettings.unknownNames(Map.of("QUEUE_URL", QUEUE, "WORKER_POOL", "big")))
        .containsExactly(new UnknownSetting("WORKER_POOL", Optional.empty()));
  }

  @Test
  void theSettingsTheWorkerReadsAndOtherPrefixesAreNotReported() {
    assertThat(
            WorkerSettings.unknownNames(
                Map.of(
                    "QUEUE_URL", QUEUE,
                    "WORKER_CONCURRENCY", "8",
                    "WORKER_SHUTDOWN_SECONDS", "60",
                    "WORKER_MAX_PROCESSING_SECONDS", "600",
                    "PATH", "/usr/bin",
                    "MY_WORKER_CONCURENCY", "3",
                    "WORKERS", "3")))
        .isEmpty();
  }

  @Test
  void aMistypedSettingIsAWarningAndItsSettingKeepsItsDefault() throws SettingsException {
    Map<String, String> env = Map.of("QUEUE_URL", QUEUE, "WORKER_CONCURENCY", "32");

    assertThat(WorkerSettings.fromEnvironment(env).concurrency()).isEqualTo(4);
  }

  @Test
  void eachUnknownSettingIsOneJsonWarningThatNamesItButNotItsValue() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonLog log = new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8));

    WorkerMain.warnOfUnknownSettings(
        Map.of(
            "QUEUE_URL", QUEUE,
            "WORKER_CONCURENCY", "s3cr3t-value",
            "WORKER_POOL", "an0ther-s3cr3t"),
        log);

    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).doesNotContain("s3cr3t");
    List<JsonNode> lines = LogLines.of("unknown-setting", written);
    assertThat(written.lines()).hasSize(2);
    assertThat(lines).hasSize(2);
    assertThat(lines).allSatisfy(line -> assertThat(line.get("level").asText()).isEqualTo("WARN"));
    assertThat(lines.get(0).get("name").asText()).isEqualTo("WORKER_CONCURENCY");
    assertThat(lines.get(0).get("closest").asText()).isEqualTo("WORKER_CONCURRENCY");
    assertThat(lines.get(1).get("name").asText()).isEqualTo("WORKER_POOL");
    assertThat(lines.get(1).has("closest")).isFalse();
    assertThat(lines.get(1).get("known").toString())
        .isEqualTo(
            "[\"WORKER_CONCURRENCY\",\"WORKER_SHUTDOWN_SECONDS\","
                + "\"WORKER_MAX_PROCESSING_SECONDS\"]");
  }

  @Test
  void theWorkerSettingsDocsWorkerMdListsAreTheOnesTheWorkerReads() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "worker.md"));
    Matcher rows = Pattern.compile("(?m)^\\| `(WORKER_[A-Z_]+)` \\|").matcher(doc);
    List<String> documented = rows.results().map(row -> row.group(1)).toList();

    assertThat(documented).containsExactlyInAnyOrderElementsOf(WorkerSettings.KNOWN_NAMES);
  }
}
