package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.testsupport.LoopingCause;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A handler may throw an exception whose causes form a loop ({@code a.initCause(b);
 * b.initCause(a)}: the JDK allows it and prints it with {@code [CIRCULAR REFERENCE]}). Tracing it
 * must return, record the chain once, and end the message's trace, with either tracer: the X-Ray
 * SDK follows {@code getCause()} with no loop check, and went round until the heap was gone.
 *
 * <p>The loop is closed through a {@link LoopingCause} that fails the test once it has been asked
 * for its cause {@value LoopingCause#FOLLOWED_AT_MOST} times, so that a tracer that goes round the
 * loop ends the test with an assertion, in a few milliseconds, not the test JVM with an
 * OutOfMemoryError.
 */
class CyclicCauseTracingTest {

  private static String root() {
    return "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00112233445566778899aabb";
  }

  private static ReceivedMessage message(String header) {
    return new ReceivedMessage("m-1", "body", Optional.empty(), Optional.of(header));
  }

  @Test
  void theXRaySdkRecordsALoopingCauseChainOnceAndTheMessagesSegmentIsSent() throws Exception {
    String root = root();
    try (XRayDaemonListener daemon = new XRayDaemonListener()) {
      WorkerTracing tracing = WorkerTracing.xray(daemon.address());
      WorkerTracing.MessageTrace trace =
          tracing.start(
              message("Root=" + root + ";Parent=0f1e2d3c4b5a6978;Sampled=1"), "q", 1, 1.0);

      trace.processed(1.0, 2.0, Optional.of(LoopingCause.of("handler failed")));
      trace.finish(3.0);

      JsonNode segment =
          daemon.await(d -> root.equals(d.path("trace_id").asText()), Duration.ofSeconds(5));
      assertThat(segment.path("fault").asBoolean()).isTrue();
      JsonNode process = subsegmentNamed(segment, "process");
      assertThat(process.path("fault").asBoolean()).isTrue();
      JsonNode exceptions = process.path("cause").path("exceptions");
      List<String> described = new ArrayList<>();
      exceptions.forEach(e -> described.add(e.path("type").asText() + ": " + e.path("message")));
      assertThat(described)
          .as("each exception of the loop once, with its own type, the loop marked where it closes")
          .hasSize(2);
      assertThat(described.get(0))
          .startsWith(LoopingCause.class.getName() + ": ")
          .contains("handler failed");
      assertThat(described.get(1))
          .startsWith("java.lang.RuntimeException: ")
          .contains("wrapped", "CIRCULAR REFERENCE");
      assertThat(exceptions.get(0).path("cause").asText())
          .as("the first names the second as its cause")
          .isEqualTo(exceptions.get(1).path("id").asText());
      assertThat(exceptions.get(0).path("stack").size()).isPositive();
    }
  }

  @Test
  void anUnsampledMessageWithALoopingCauseReturnsToo() {
    // The segment is built, and the exception described, before the sampling decision is used.
    WorkerTracing.MessageTrace trace =
        WorkerTracing.xray("127.0.0.1:2000")
            .start(message("Root=" + root() + ";Parent=0f1e2d3c4b5a6978;Sampled=0"), "q", 1, 1.0);

    trace.processed(1.0, 2.0, Optional.of(LoopingCause.of("handler failed")));
    trace.finish(3.0);
  }

  @Test
  void aCauseChainLongerThanEightIsCutAtEightAndSaysSo() throws Exception {
    String root = root();
    // One frame each: the segment stays one datagram whatever the test runner's stack depth.
    StackTraceElement[] frame = {new StackTraceElement("Handler", "handle", "Handler.java", 1)};
    Throwable failure = new IllegalStateException("cause 0");
    failure.setStackTrace(frame);
    for (int i = 1; i < 200; i++) {
      failure = new IllegalStateException("cause " + i, failure);
      failure.setStackTrace(frame);
    }
    try (XRayDaemonListener daemon = new XRayDaemonListener()) {
      WorkerTracing.MessageTrace trace =
          WorkerTracing.xray(daemon.address())
              .start(message("Root=" + root + ";Parent=0f1e2d3c4b5a6978;Sampled=1"), "q", 1, 1.0);

      trace.processed(1.0, 2.0, Optional.of(failure));
      trace.finish(3.0);

      JsonNode exceptions =
          subsegmentNamed(
                  daemon.await(
                      d -> root.equals(d.path("trace_id").asText()), Duration.ofSeconds(5)),
                  "process")
              .path("cause")
              .path("exceptions");
      assertThat(exceptions.size()).isEqualTo(8);
      assertThat(exceptions.get(0).path("type").asText())
          .isEqualTo("java.lang.IllegalStateException");
      assertThat(exceptions.get(0).path("message").asText()).isEqualTo("cause 199");
      assertThat(exceptions.get(7).path("message").asText())
          .startsWith("cause 192")
          .contains("192 more causes left out");
    }
  }

  @Test
  void openTelemetryRecordsTheLoopingChainOnceAsTheJdkPrintsIt() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OtelPipeline pipeline =
        OtelPipeline.exportingEachSpanTo(exporter, "queue-worker", OtelWorkerTracing.SCOPE)) {
      WorkerTracing.MessageTrace trace =
          WorkerTracing.openTelemetry(pipeline)
              .start(message("Root=" + root() + ";Parent=0f1e2d3c4b5a6978;Sampled=1"), "q", 1, 1.0);

      trace.processed(1.0, 2.0, Optional.of(LoopingCause.of("handler failed")));
      trace.finish(3.0);

      SpanData process =
          exporter.getFinishedSpanItems().stream()
              .filter(s -> s.getName().equals("process"))
              .findFirst()
              .orElseThrow();
      assertThat(process.getEvents()).extracting(EventData::getName).containsExactly("exception");
      String stack =
          process
              .getEvents()
              .get(0)
              .getAttributes()
              .get(AttributeKey.stringKey("exception.stacktrace"));
      assertThat(stack)
          .contains("handler failed", "Caused by: java.lang.RuntimeException: wrapped")
          .contains("CIRCULAR REFERENCE");
      assertThat(exporter.getFinishedSpanItems())
          .extracting(SpanData::getName)
          .contains(WorkerTracing.SEGMENT);
    }
  }

  /** The subsegment {@code name} directly beneath {@code segment}. */
  private static JsonNode subsegmentNamed(JsonNode segment, String name) {
    for (JsonNode sub : segment.path("subsegments")) {
      if (name.equals(sub.path("name").asText())) {
        return sub;
      }
    }
    throw new AssertionError("no subsegment " + name + " in " + segment);
  }
}
