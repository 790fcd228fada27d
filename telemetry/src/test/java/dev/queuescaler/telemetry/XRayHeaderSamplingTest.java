package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A header whose sampling decision is deferred ({@code Sampled=?}) or absent is not a "not sampled"
 * decision: the X-Ray SDK (and XRayWorkerTracing) continues the trace and lets the local sampling
 * rule decide, so the OpenTelemetry pipeline does too; {@code Sampled=0} still drops.
 */
class XRayHeaderSamplingTest {

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

  @Test
  void aNotSampledDecisionIsKept() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      Context parent =
          XRayPropagator.parse(
                  "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=0")
              .map(p -> Context.root().with(Span.wrap(p)))
              .orElseThrow();
      pipeline.tracer().spanBuilder("queue-worker").setParent(parent).startSpan().end();

      assertThat(memory.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void theDecisionTakenHereIsWhatTheChildrenAndTheNextHeaderCarry() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      Context parent =
          XRayPropagator.parse(
                  "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=?")
              .map(p -> Context.root().with(Span.wrap(p)))
              .orElseThrow();
      Span span = pipeline.tracer().spanBuilder("queue-worker").setParent(parent).startSpan();

      assertThat(span.getSpanContext().getTraceState().isEmpty()).isTrue();
      assertThat(XRayPropagator.header(Context.root().with(span)).orElseThrow())
          .endsWith(";Sampled=1");
      span.end();
    }
  }
}
