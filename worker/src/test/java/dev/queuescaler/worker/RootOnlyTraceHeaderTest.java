package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.testsupport.OtlpReceiver;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An {@code AWSTraceHeader} with a {@code Root} and {@code Sampled=1} but no {@code Parent} (a
 * producer that wrote the header itself, not from a segment) is read differently by the two
 * tracers, as docs/tracing.md says: the X-Ray SDK continues the trace as a root segment of it and
 * keeps it; OpenTelemetry cannot have a remote parent without a span id, so the worker starts a
 * trace of its own and samples it as a message without a header (5 % in production).
 */
class RootOnlyTraceHeaderTest {

  private static String root() {
    return "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00112233445566778899aabb";
  }

  private static ReceivedMessage message(String id, String header) {
    return new ReceivedMessage(id, "body", Optional.empty(), Optional.of(header));
  }

  @Test
  void theXRaySdkContinuesTheHeadersTraceAndKeepsItsSamplingDecision() throws Exception {
    String root = root();
    try (XRayDaemonListener daemon = new XRayDaemonListener()) {
      WorkerTracing.MessageTrace trace =
          WorkerTracing.xray(daemon.address())
              .start(message("m-1", "Root=" + root + ";Sampled=1"), "q", 1, 1.0);
      trace.finish(2.0);

      // Sent at all: sampled, as the header says, not by the local rule.
      JsonNode segment =
          daemon.await(d -> root.equals(d.path("trace_id").asText()), Duration.ofSeconds(5));
      assertThat(segment.path("name").asText()).isEqualTo(WorkerTracing.SEGMENT);
      assertThat(segment.has("parent_id")).as("a root segment of the producer's trace").isFalse();
    }
  }

  @Test
  void openTelemetryStartsATraceOfItsOwn() {
    String root = root();
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OtelPipeline pipeline =
        OtelPipeline.exportingEachSpanTo(exporter, "queue-worker", OtelWorkerTracing.SCOPE)) {
      WorkerTracing.openTelemetry(pipeline)
          .start(message("m-1", "Root=" + root + ";Sampled=1"), "q", 1, 1.0)
          .finish(2.0);

      SpanData span = exporter.getFinishedSpanItems().get(0);
      assertThat(span.getName()).isEqualTo(WorkerTracing.SEGMENT);
      assertThat(span.getTraceId())
          .as("a new trace id, not the header's")
          .isNotEqualTo(root.substring(2, 10) + root.substring(11));
      assertThat(span.getParentSpanContext().isValid()).as("no parent").isFalse();
    }
  }

  @Test
  void openTelemetrySamplesItAsAMessageWithoutAHeaderNotByTheHeadersSampledFlag() throws Exception {
    String complete = root();
    String rootOnly =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-ffeeddccbbaa998877665544";
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      OtelSettings settings =
          new OtelSettings(
              URI.create(otlp.endpoint() + OtlpReceiver.TRACES_PATH),
              "queue-worker",
              Duration.ofSeconds(2));
      // No trace that starts here is sampled: what is exported followed its header's decision.
      try (WorkerTracing tracing =
          WorkerTracing.openTelemetry(
              OtelPipeline.exportingTo(settings, OtelWorkerTracing.SCOPE, 0.0))) {
        tracing.start(message("m-1", "Root=" + rootOnly + ";Sampled=1"), "q", 1, 1.0).finish(2.0);
        tracing
            .start(
                message("m-2", "Root=" + complete + ";Parent=0f1e2d3c4b5a6978;Sampled=1"),
                "q",
                1,
                1.0)
            .finish(2.0);
      }

      OtlpReceiver.ReceivedSpan continued =
          otlp.await(s -> s.name().equals(WorkerTracing.SEGMENT), Duration.ofSeconds(5));
      assertThat(continued.xrayTraceId()).isEqualTo(complete);
      assertThat(otlp.spans())
          .as("the Root-only message was a trace of its own, at the root ratio (here none)")
          .hasSize(1);
    }
  }
}
