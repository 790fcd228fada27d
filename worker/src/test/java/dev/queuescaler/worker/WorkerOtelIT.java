package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.generator.GeneratorTestAccess;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.testsupport.OtlpReceiver;
import dev.queuescaler.testsupport.OtlpReceiver.ReceivedSpan;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code TRACING=otel} the worker exports one span per message to {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, continuing the producer's trace from {@code AWSTraceHeader}:
 * WorkerIT's tracing scenarios, seen at an OTLP receiver instead of the X-Ray daemon.
 */
class WorkerOtelIT {

  private static LocalQueue queue;

  @BeforeAll
  static void start() {
    queue = new LocalQueue();
  }

  @AfterAll
  static void stop() {
    queue.close();
  }

  /** Runs a worker as WorkerMain builds it from {@code env} until {@code messages} are done. */
  private static void drain(String queueUrl, Map<String, String> tracingEnv, int messages)
      throws Exception {
    Map<String, String> env = new HashMap<>(tracingEnv);
    env.put("QUEUE_URL", queueUrl);
    env.put("WORKER_SHUTDOWN_SECONDS", "6");
    env.put("METRICS_ENABLED", "false");
    WorkerSettings settings = WorkerSettings.fromEnvironment(env);
    WorkerTracing tracing = WorkerTracing.chosen(settings);
    Worker worker =
        Worker.start(
            settings,
            queue.sqs,
            new SimulatedWork(),
            new SimpleMeterRegistry(),
            tracing,
            new JsonLog(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    try {
      eventually(() -> worker.processed() == messages, Duration.ofSeconds(20));
      eventually(() -> queue.inFlight(queueUrl) == 0, Duration.ofSeconds(10));
    } finally {
      worker.stop();
      tracing.close();
    }
  }

  private static List<String> childrenOf(OtlpReceiver otlp, ReceivedSpan parent) {
    return otlp.spans().stream()
        .filter(s -> s.parentSpanId().equals(Optional.of(parent.spanId())))
        .map(ReceivedSpan::name)
        .toList();
  }

  @Test
  void theGeneratorsTraceReachesTheWorkerThroughAwsTraceHeader() throws Exception {
    String[] urls = queue.createWithDlq("otel-linked", 30, 3);
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      String generatorTrace =
          GeneratorTestAccess.sendTracedWithOpenTelemetry(queue.sqs, urls[0], 3, otlp.endpoint());

      drain(urls[0], Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()), 3);

      ReceivedSpan batch =
          otlp.await(
              s -> s.name().equals("send-batch") && s.traceId().equals(generatorTrace),
              Duration.ofSeconds(5));
      assertThat(batch.serviceName()).isEqualTo("queue-generator");
      List<ReceivedSpan> consumed =
          otlp.spans().stream().filter(s -> s.name().equals(WorkerTracing.SEGMENT)).toList();
      assertThat(consumed).hasSize(3);
      assertThat(consumed)
          .allSatisfy(
              span -> {
                assertThat(span.serviceName()).isEqualTo("queue-worker");
                assertThat(span.kind()).isEqualTo("SPAN_KIND_CONSUMER");
                assertThat(span.traceId())
                    .as("same trace, send to receive")
                    .isEqualTo(generatorTrace);
                assertThat(span.parentSpanId()).contains(batch.spanId());
                assertThat(span.attribute("queue")).contains("otel-linked");
                assertThat(span.attribute("receiveCount")).contains(1L);
                assertThat(span.attribute("aws.xray.annotations"))
                    .contains(List.of("queue", "messageId", "receiveCount"));
                assertThat(childrenOf(otlp, span))
                    .contains("SQS.ReceiveMessage", "process", "SQS.DeleteMessageBatch");
              });
      assertThat(otlp.rejected()).isEmpty();
    }
  }

  @Test
  void aProducerTracedWithTheXRaySdkIsContinuedByAnOpenTelemetryWorker() throws Exception {
    String[] urls = queue.createWithDlq("otel-mixed", 30, 3);
    try (OtlpReceiver otlp = new OtlpReceiver();
        XRayDaemonListener xray = new XRayDaemonListener()) {
      String xrayTrace = GeneratorTestAccess.sendTraced(queue.sqs, urls[0], 1, xray.address());

      drain(urls[0], Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()), 1);

      ReceivedSpan consumed =
          otlp.await(s -> s.name().equals(WorkerTracing.SEGMENT), Duration.ofSeconds(5));
      assertThat(consumed.xrayTraceId()).isEqualTo(xrayTrace);
    }
  }

  @Test
  void aFailedMessageMarksItsSpanAndAMessageWithoutAProducerStartsItsOwnTrace() throws Exception {
    String[] urls = queue.createWithDlq("otel-failed", 30, 3);
    queue.send(urls[0], work(0, true));
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      WorkerSettings settings =
          WorkerSettings.fromEnvironment(
              Map.of(
                  "QUEUE_URL", urls[0],
                  "WORKER_SHUTDOWN_SECONDS", "6",
                  "METRICS_ENABLED", "false",
                  "TRACING", "otel",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()));
      // Every root sampled (WorkerMain samples 5 % of them), so that the span is there to see.
      try (WorkerTracing tracing =
          WorkerTracing.openTelemetry(OtelPipeline.exportingTo(settings.otel(), "test"))) {
        Worker worker =
            Worker.start(
                settings,
                queue.sqs,
                new SimulatedWork(),
                new SimpleMeterRegistry(),
                tracing,
                new JsonLog(
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        try {
          eventually(() -> worker.failed() >= 1, Duration.ofSeconds(20));
        } finally {
          worker.stop();
        }
      }

      ReceivedSpan consumed =
          otlp.await(s -> s.name().equals(WorkerTracing.SEGMENT), Duration.ofSeconds(5));
      assertThat(consumed.parentSpanId()).as("no producer: a trace of its own").isEmpty();
      assertThat(consumed.error()).isTrue();
      ReceivedSpan process =
          otlp.await(
              s -> s.name().equals("process") && s.traceId().equals(consumed.traceId()),
              Duration.ZERO);
      assertThat(process.error()).isTrue();
    }
  }
}
