package dev.queuescaler.scaler.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.telemetry.OtelPipeline;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry adapter records what the X-Ray adapter records (ScalerCliIT asserts the same on
 * the X-Ray daemon's side): a cycle span, a decide span per target with the operators' annotations,
 * indexed by X-Ray through {@code aws.xray.annotations}.
 */
class OtelTracingTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(exported, "t", "t");
  private final OtelTracing tracing = new OtelTracing(pipeline.tracer(), TraceRoot.OWN_TRACE);

  @AfterEach
  void close() {
    pipeline.close();
  }

  private static TargetOutcome scaledOut(String target) {
    return new TargetOutcome(
        new DecisionRecord(
            target,
            Optional.of(new QueueSnapshot(100, 20, 0)),
            Optional.of(120L),
            Optional.of(new ServiceSnapshot(0, 0, 0)),
            Optional.of(3),
            Optional.of(3),
            Action.SCALE_OUT,
            Reason.BACKLOG,
            false,
            List.of(),
            Instant.parse("2026-11-27T12:00:00Z")),
        Optional.empty(),
        0,
        5);
  }

  private SpanData span(String name) {
    return exported.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no span " + name + ": " + exported.getFinishedSpanItems()));
  }

  @Test
  void theDecideSpanCarriesTheXRayAdaptersAnnotationsListedForIndexing() {
    tracing.cycle(() -> tracing.decide(() -> scaledOut("traced")));

    SpanData cycle = span(XRayTracing.CLI_SEGMENT);
    SpanData decide = span(XRayTracing.DECIDE_SUBSEGMENT);
    assertThat(cycle.getParentSpanContext().isValid()).as("the CLI's cycle is a root").isFalse();
    assertThat(decide.getParentSpanId()).isEqualTo(cycle.getSpanId());
    assertThat(decide.getAttributes().get(AttributeKey.stringKey("target"))).isEqualTo("traced");
    assertThat(decide.getAttributes().get(AttributeKey.longKey("backlog"))).isEqualTo(120L);
    assertThat(decide.getAttributes().get(AttributeKey.longKey("current"))).isZero();
    assertThat(decide.getAttributes().get(AttributeKey.longKey("desired"))).isEqualTo(3L);
    assertThat(decide.getAttributes().get(AttributeKey.stringKey("action"))).isEqualTo("SCALE_OUT");
    assertThat(decide.getAttributes().get(AttributeKey.stringKey("reason"))).isEqualTo("BACKLOG");
    assertThat(decide.getAttributes().get(AttributeKey.stringArrayKey("aws.xray.annotations")))
        .containsExactly("target", "backlog", "current", "desired", "action", "reason");
    assertThat(decide.getAttributes().get(AttributeKey.longKey("decision.recommended")))
        .as("the rest of the decision is metadata, not indexed")
        .isEqualTo(3L);
  }

  @Test
  void whatWasNotReadIsNotAnnotatedAndAFailedTargetIsAnError() {
    TargetOutcome unreadService =
        new TargetOutcome(
            new DecisionRecord(
                "nosvc",
                Optional.of(new QueueSnapshot(5, 0, 0)),
                Optional.of(5L),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Action.HOLD,
                Reason.SERVICE_UNREADABLE,
                false,
                List.of("ecs: MISSING"),
                Instant.parse("2026-11-27T12:00:00Z")),
            Optional.of(FailureKind.LASTING),
            0,
            5);

    tracing.cycle(() -> tracing.decide(() -> unreadService));

    SpanData decide = span(XRayTracing.DECIDE_SUBSEGMENT);
    assertThat(decide.getAttributes().get(AttributeKey.longKey("backlog"))).isEqualTo(5L);
    assertThat(decide.getAttributes().get(AttributeKey.longKey("current"))).isNull();
    assertThat(decide.getAttributes().get(AttributeKey.longKey("desired"))).isNull();
    assertThat(decide.getAttributes().get(AttributeKey.stringArrayKey("aws.xray.annotations")))
        .doesNotContain("current", "desired");
    assertThat(decide.getStatus()).isEqualTo(StatusData.error());
  }

  @Test
  void workOnAnotherThreadJoinsTheCyclesTraceAndSeesItsTraceId() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      String[] ids =
          tracing.cycle(
              () -> {
                try {
                  Future<Optional<String>> onPool =
                      pool.submit(
                          tracing.carryOver(
                              () -> {
                                tracing.decide(() -> scaledOut("pooled"));
                                return tracing.traceId();
                              }));
                  return new String[] {tracing.traceId().orElseThrow(), onPool.get().orElseThrow()};
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      SpanData cycle = span(XRayTracing.CLI_SEGMENT);
      assertThat(span(XRayTracing.DECIDE_SUBSEGMENT).getTraceId()).isEqualTo(cycle.getTraceId());
      String xray =
          "1-" + cycle.getTraceId().substring(0, 8) + "-" + cycle.getTraceId().substring(8);
      assertThat(ids).containsExactly(xray, xray);
      assertThat(tracing.traceId()).as("outside the cycle there is no trace").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCycleThatThrowsEndsItsSpanAsAnError() {
    assertThatThrownBy(
            () ->
                tracing.cycle(
                    () -> {
                      throw new IllegalStateException("lease table gone");
                    }))
        .hasMessage("lease table gone");
    assertThat(span(XRayTracing.CLI_SEGMENT).getStatus().getStatusCode())
        .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(span(XRayTracing.CLI_SEGMENT).getEvents())
        .anyMatch(e -> e.getName().equals("exception"));
  }
}
