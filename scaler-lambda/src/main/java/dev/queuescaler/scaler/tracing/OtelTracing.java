package dev.queuescaler.scaler.tracing;

import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.XRayAnnotations;
import dev.queuescaler.telemetry.XRayIdGenerator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Traces a cycle with OpenTelemetry, span for span what {@link XRayTracing} records: the cycle's
 * span ({@value XRayTracing#CLI_SEGMENT} as a trace's root in the CLI, {@value
 * XRayTracing#LAMBDA_CYCLE_SUBSEGMENT} under the function's segment in the Lambda), a {@value
 * XRayTracing#DECIDE_SUBSEGMENT} span per target with the same annotations, listed in {@code
 * aws.xray.annotations} so that X-Ray indexes them, and the rest of the decision as attributes
 * under {@code decision.} (X-Ray metadata).
 */
public final class OtelTracing implements Tracing {

  private final Tracer tracer;
  private final TraceRoot root;

  public OtelTracing(Tracer tracer, TraceRoot root) {
    this.tracer = tracer;
    this.root = root;
  }

  @Override
  public <T> T cycle(Supplier<T> work) {
    SpanBuilder builder;
    if (root == TraceRoot.OWN_TRACE) {
      builder = tracer.spanBuilder(XRayTracing.CLI_SEGMENT).setNoParent();
    } else {
      builder =
          tracer
              .spanBuilder(XRayTracing.LAMBDA_CYCLE_SUBSEGMENT)
              .setParent(OtelPipeline.lambdaParent());
    }
    Span span = builder.startSpan();
    try (Scope scope = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public TargetOutcome decide(Supplier<TargetOutcome> work) {
    return annotated(XRayTracing.DECIDE_SUBSEGMENT, work);
  }

  @Override
  public TargetOutcome act(Supplier<TargetOutcome> work) {
    return annotated(XRayTracing.ACT_SUBSEGMENT, work);
  }

  private TargetOutcome annotated(String name, Supplier<TargetOutcome> work) {
    Span span = tracer.spanBuilder(name).startSpan();
    try (Scope scope = span.makeCurrent()) {
      TargetOutcome outcome = work.get();
      annotate(span, outcome.decision());
      if (!outcome.completed()) {
        span.setStatus(StatusCode.ERROR);
      }
      return outcome;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private static void annotate(Span span, DecisionRecord d) {
    XRayAnnotations annotations = XRayAnnotations.on(span).put("target", d.target());
    // Only what was read: an outage must not look like an empty queue or a stopped service.
    d.backlog().ifPresent(backlog -> annotations.put("backlog", backlog));
    d.current().ifPresent(current -> annotations.put("current", (long) current));
    d.desired().ifPresent(desired -> annotations.put("desired", (long) desired));
    annotations.put("action", d.action().name()).put("reason", d.reason().name());
    d.visible().ifPresent(v -> span.setAttribute("decision.visible", v));
    d.inFlight().ifPresent(v -> span.setAttribute("decision.inFlight", v));
    d.delayed().ifPresent(v -> span.setAttribute("decision.delayed", v));
    d.running().ifPresent(v -> span.setAttribute("decision.running", (long) v));
    d.pending().ifPresent(v -> span.setAttribute("decision.pending", (long) v));
    d.recommended().ifPresent(v -> span.setAttribute("decision.recommended", (long) v));
    span.setAttribute("decision.dryRun", d.dryRun());
    if (!d.errors().isEmpty()) {
      span.setAttribute(
          io.opentelemetry.api.common.AttributeKey.stringArrayKey("decision.errors"), d.errors());
    }
  }

  @Override
  public <T> Callable<T> carryOver(Callable<T> task) {
    return Context.current().wrap(task);
  }

  @Override
  public Optional<String> traceId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid()
        ? Optional.of(XRayIdGenerator.xrayTraceId(current.getTraceId()))
        : Optional.empty();
  }
}
