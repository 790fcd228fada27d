package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real OTLP/HTTP exporter, as every entry point builds it, into a local receiver. */
class OtlpExportIT {

  @Test
  void aFlushDeliversTheBatchWithTheServiceNameXRayIdsAndTheAnnotationList() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      OtelSettings settings =
          OtelSettings.fromEnvironment(
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  receiver.endpoint(),
                  "OTEL_SERVICE_NAME",
                  "export-test"),
              "unused");
      long before = System.currentTimeMillis() / 1000;
      try (OtelPipeline otel = OtelPipeline.exportingTo(settings, "test")) {
        Span parent = otel.tracer().spanBuilder("cycle").startSpan();
        try (Scope scope = parent.makeCurrent()) {
          Span child = otel.tracer().spanBuilder("decide").startSpan();
          XRayAnnotations.on(child).put("action", "SCALE_OUT");
          child.end();
        } finally {
          parent.end();
        }
        assertThat(otel.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.spans()).as("flushed before close").hasSize(2);
      }

      OtlpReceiver.ReceivedSpan cycle =
          receiver.await(s -> s.name().equals("cycle"), Duration.ZERO);
      OtlpReceiver.ReceivedSpan decide =
          receiver.await(s -> s.name().equals("decide"), Duration.ZERO);
      assertThat(decide.serviceName()).isEqualTo("export-test");
      assertThat(decide.traceId()).isEqualTo(cycle.traceId());
      assertThat(decide.parentSpanId()).contains(cycle.spanId());
      assertThat(Long.parseLong(cycle.traceId().substring(0, 8), 16))
          .as("X-Ray's trace id starts with the epoch second")
          .isBetween(before, before + 60);
      assertThat(decide.attribute("action")).contains("SCALE_OUT");
      assertThat(decide.attribute(XRayAnnotations.LIST)).contains(java.util.List.of("action"));
      assertThat(receiver.rejected()).isEmpty();
    }
  }
}
