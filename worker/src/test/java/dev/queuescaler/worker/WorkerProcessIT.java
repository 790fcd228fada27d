package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker jar as ECS runs it: a child JVM configured by environment, stopped with SIGTERM in the
 * middle of its work. After it exits, no message may be left in flight.
 */
class WorkerProcessIT {

  private static LocalQueue queue;

  @BeforeAll
  static void start() {
    queue = new LocalQueue();
  }

  @AfterAll
  static void stop() {
    queue.close();
  }

  private static Process worker(String queueUrl, int shutdownSeconds, Path out) throws Exception {
    return worker(queueUrl, shutdownSeconds, out, Map.of());
  }

  private static Process worker(
      String queueUrl, int shutdownSeconds, Path out, Map<String, String> extraEnv)
      throws Exception {
    Path jar = Path.of(System.getProperty("worker.jar", "target/worker.jar"));
    assertThat(jar).exists();
    ProcessBuilder builder = new ProcessBuilder(List.of("java", "-jar", jar.toString()));
    builder.environment().put("QUEUE_URL", queueUrl);
    builder.environment().put("AWS_ENDPOINT_URL_SQS", queue.server.endpoint().toString());
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("WORKER_CONCURRENCY", "2");
    builder.environment().put("WORKER_SHUTDOWN_SECONDS", Integer.toString(shutdownSeconds));
    builder.environment().put("METRICS_ENABLED", "false");
    builder.environment().put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
    builder.environment().putAll(extraEnv);
    return builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  @Test
  void sigtermMidBatchFinishesStartedWorkWithinTheBudgetAndLeavesNothingInFlight()
      throws Exception {
    String[] urls = queue.createWithDlq("sigterm-finish", 30, 3);
    for (int i = 0; i < 20; i++) {
      queue.send(urls[0], work(6_000, false));
    }
    Path out = Files.createTempFile("worker", ".log");
    Process worker = worker(urls[0], 10, out);
    // All twenty received: each starts on one of the worker's twenty threads and works for 6 s.
    // Received is not started: a batch that SIGTERM catches between its receipt and its dispatch
    // goes back unstarted, by design, and under a loaded machine that window lasted long enough for
    // both batches (a full build, 2026-12-07: none finished). Nothing outside the process tells
    // when work starts, so SIGTERM comes 3 s after the receipt: dispatch takes milliseconds, and
    // the 6 s work is then half done, still running, and ends well within the 10 s budget.
    eventually(() -> queue.inFlight(urls[0]) == 20, Duration.ofSeconds(30));
    Thread.sleep(3_000);

    long signalled = System.nanoTime();
    worker.destroy(); // SIGTERM
    assertThat(worker.waitFor(15, TimeUnit.SECONDS)).as("exits within the budget").isTrue();
    long tookMillis = (System.nanoTime() - signalled) / 1_000_000;

    assertThat(worker.exitValue()).isIn(0, 143);
    assertThat(tookMillis).isLessThan(12_000);
    assertThat(queue.inFlight(urls[0])).isZero();
    long visible = queue.visible(urls[0]);
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(log).contains("\"event\":\"shutdown\"").contains("\"withinBudget\":true");
    long finished = number(log, "finishedAfterSigterm");
    long released = number(log, "released");
    // Started work finished and was deleted; whatever had not started went back.
    assertThat(20 - visible).as("deleted").isEqualTo(finished);
    assertThat(released).as("given back, at least once each").isGreaterThanOrEqualTo(visible);
    assertThat(finished).as("the 6 s messages started before SIGTERM finished").isPositive();
  }

  private static long number(String log, String field) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(log);
    assertThat(m.find()).as(field + " in " + log).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void workThatOutlastsTheBudgetIsGivenBackNotStranded() throws Exception {
    String[] urls = queue.createWithDlq("sigterm-release", 120, 3);
    for (int i = 0; i < 10; i++) {
      queue.send(urls[0], work(60_000, false));
    }
    Path out = Files.createTempFile("worker", ".log");
    Process worker = worker(urls[0], 3, out);
    eventually(() -> queue.inFlight(urls[0]) == 10, Duration.ofSeconds(30));

    worker.destroy(); // SIGTERM
    assertThat(worker.waitFor(10, TimeUnit.SECONDS)).as("exits within the budget").isTrue();

    assertThat(worker.exitValue()).isIn(0, 143);
    assertThat(queue.inFlight(urls[0])).as("nothing stranded in flight").isZero();
    assertThat(queue.visible(urls[0])).as("all visible again").isEqualTo(10);
    // A message given back can be picked up by the other loop's receive in flight and given back
    // again: at least one give-back per message.
    assertThat(number(Files.readString(out, StandardCharsets.UTF_8), "released"))
        .isGreaterThanOrEqualTo(10);
  }

  @Test
  void aWorkerWhoseThreadsAreAllStuckExitsOneSoThatEcsReplacesItAndItsMessagesGoBack()
      throws Exception {
    String[] urls = queue.createWithDlq("all-stuck", 120, 3);
    // Two loops, twenty threads: twenty messages whose work outlasts the 1 s bound by far.
    for (int i = 0; i < 20; i++) {
      queue.send(urls[0], work(60_000, false));
    }
    Path out = Files.createTempFile("worker", ".log");
    Process worker = worker(urls[0], 5, out, Map.of("WORKER_MAX_PROCESSING_SECONDS", "1"));
    try {
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    } finally {
      worker.destroyForcibly();
    }

    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(log).isEqualTo(1);
    assertThat(log).contains("\"event\":\"all-threads-stuck\"").contains("processing-timed-out");
    assertThat(queue.inFlight(urls[0])).as("nothing stranded in flight").isZero();
    assertThat(queue.visible(urls[0])).as("all given back").isEqualTo(20);
  }

  // Also the start path's answer to a mistyped setting (one process start serves both): a warning
  // line, and the worker goes on to process its message.
  @Test
  void aQueueDeletedWhileTheWorkerRunsEndsItWithStatusOneNamingTheCode() throws Exception {
    String[] urls = queue.createWithDlq("deleted-under-it", 30, 3);
    queue.send(urls[0], work(0, false));
    Path out = Files.createTempFile("worker", ".log");
    Process worker =
        worker(urls[0], 5, out, Map.of("WORKER_CONCURENCY", "typo-value-not-to-be-logged"));
    try {
      eventually(
          () -> queue.visible(urls[0]) + queue.inFlight(urls[0]) == 0, Duration.ofSeconds(30));
      queue.sqs.deleteQueue(d -> d.queueUrl(urls[0]));

      assertThat(worker.waitFor(40, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    } finally {
      worker.destroyForcibly();
    }

    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(log).isEqualTo(1);
    assertThat(log)
        .contains("\"event\":\"receive-failed-permanently\"")
        .contains("does not exist")
        .doesNotContain("Exception in thread");
    assertThat(log).doesNotContain("typo-value-not-to-be-logged");
    List<JsonNode> unknown = LogLines.of("unknown-setting", log);
    assertThat(unknown).as("one line for the mistyped setting").hasSize(1);
    assertThat(unknown.get(0).get("level").asText()).isEqualTo("WARN");
    assertThat(unknown.get(0).get("name").asText()).isEqualTo("WORKER_CONCURENCY");
    assertThat(unknown.get(0).get("closest").asText()).isEqualTo("WORKER_CONCURRENCY");
  }

  @Test
  void aQueueThatDoesNotExistAtStartExitsOneWithOneJsonLineNamingTheCode() throws Exception {
    String missing = queue.server.endpoint() + "/000000000000/no-such-queue";
    Path out = Files.createTempFile("worker", ".log");
    Process worker = worker(missing, 5, out);
    try {
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    } finally {
      worker.destroyForcibly();
    }

    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(log).isEqualTo(1);
    assertThat(log)
        .contains("\"event\":\"start-failed\"")
        .contains("does not exist")
        .as("a log line, not a stack trace")
        .doesNotContain("Exception in thread");
  }

  // OtelSettings takes http://:4318 (a URI with a scheme and no host); the OpenTelemetry exporter
  // refuses it when the worker builds its tracing. That is a setting error like the others.
  @Test
  void anOtlpEndpointTheExporterRefusesExitsTwoNamingTheVariable() throws Exception {
    String[] urls = queue.createWithDlq("bad-otlp-endpoint", 30, 3);
    Path out = Files.createTempFile("worker", ".log");
    Process worker =
        worker(
            urls[0],
            5,
            out,
            Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://:4318"));
    try {
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    } finally {
      worker.destroyForcibly();
    }

    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(worker.exitValue()).as(log).isEqualTo(2);
    assertThat(log)
        .contains("worker: OTEL_EXPORTER_OTLP_ENDPOINT")
        .contains("http://:4318")
        .as("a message, not a stack trace")
        .doesNotContain("Exception in thread")
        .doesNotContain("\tat ");
  }

  @Test
  void aMissingQueueUrlExitsTwoNamingIt() throws Exception {
    Path jar = Path.of(System.getProperty("worker.jar", "target/worker.jar"));
    ProcessBuilder builder = new ProcessBuilder(List.of("java", "-jar", jar.toString()));
    builder.environment().remove("QUEUE_URL");
    Process worker = builder.redirectErrorStream(true).start();

    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isEqualTo(2);
    assertThat(new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("QUEUE_URL is required");
  }
}
