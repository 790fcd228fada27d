package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of issue 25: a header whose sampling decision is deferred ({@code Sampled=?}) or absent is
 * not a "not sampled" decision. The X-Ray SDK (and this project's own XRayWorkerTracing) continues
 * the trace and lets the local sampling rule decide; the OpenTelemetry path reads it as {@code
 * Sampled=0}, so the parent-based sampler drops the consumer's spans, always.
 */
class XRayHeaderReviewTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=?",
        "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978"
      })
  void aDeferredOrAbsentSamplingDecisionIsLeftToTheLocalSampler(String header) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    // Its root sampler takes every trace: a trace whose producer did not decide must be taken too.
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      Context parent =
          XRayPropagator.parse(header).map(p -> Context.root().with(Span.wrap(p))).orElseThrow();
      Span span = pipeline.tracer().spanBuilder("queue-worker").setParent(parent).startSpan();
      span.end();

      assertThat(memory.getFinishedSpanItems()).as("the consumer's span for " + header).hasSize(1);
      assertThat(memory.getFinishedSpanItems().get(0).getTraceId())
          .isEqualTo("6566f1b000112233445566778899aabb");
    }
  }
}
