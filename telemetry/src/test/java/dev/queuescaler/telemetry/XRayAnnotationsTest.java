package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

class XRayAnnotationsTest {

  @Test
  void annotationsAreAttributesListedForXRayToIndexAndOthersAreNot() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SpanData decide;
    // Read before the pipeline closes: closing the in-memory exporter empties it.
    try (OtelPipeline otel = OtelPipeline.exportingEachSpanTo(exporter, "test", "test")) {
      Span span = otel.tracer().spanBuilder("decide").startSpan();
      XRayAnnotations.on(span).put("target", "orders").put("backlog", 120L).put("dryRun", false);
      span.setAttribute("visible", 100L);
      span.end();
      decide = exporter.getFinishedSpanItems().get(0);
    }

    assertThat(decide.getAttributes().get(AttributeKey.stringKey("target"))).isEqualTo("orders");
    assertThat(decide.getAttributes().get(AttributeKey.longKey("backlog"))).isEqualTo(120L);
    assertThat(decide.getAttributes().get(AttributeKey.stringArrayKey(XRayAnnotations.LIST)))
        .containsExactly("target", "backlog", "dryRun")
        .doesNotContain("visible");
  }
}
