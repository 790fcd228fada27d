package dev.queuescaler.generator;

import dev.queuescaler.telemetry.AwsCallSpans;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.XRayPropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The generator's spans with OpenTelemetry, as {@link XRayGeneratorTracing} records them: {@value
 * GeneratorTracing#CLI_SEGMENT} as the CLI's root (the Lambda's function segment otherwise), a
 * producer span {@code send-batch} per batch whose id is the {@code Parent} of the header its
 * messages carry, and the SQS calls beneath.
 */
final class OtelGeneratorTracing implements GeneratorTracing {

  static final String SCOPE = "dev.queuescaler.generator";

  /** The longest a Lambda invocation waits for its spans to leave. */
  static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);

  private final OtelPipeline pipeline;

  OtelGeneratorTracing(OtelPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public List<ExecutionInterceptor> sdkInterceptors() {
    return List.of(new AwsCallSpans(pipeline.tracer()));
  }

  @Override
  public <T> T inSegment(Callable<T> work) throws Exception {
    return inSpan(pipeline.tracer().spanBuilder(CLI_SEGMENT).setNoParent().startSpan(), work);
  }

  @Override
  public <T> T inInvocation(Callable<T> work) throws Exception {
    // Lambda has opened the function's segment; the generator's spans hang beneath it.
    Span invocation =
        pipeline
            .tracer()
            .spanBuilder(INVOCATION)
            .setParent(OtelPipeline.lambdaParent())
            .startSpan();
    return inSpan(invocation, work);
  }

  private static <T> T inSpan(Span span, Callable<T> work) throws Exception {
    try (Scope scope = span.makeCurrent()) {
      return work.call();
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public <T> T inBatch(Function<Optional<String>, T> work) {
    if (!Span.current().getSpanContext().isValid()) {
      return work.apply(Optional.empty());
    }
    Span batch =
        pipeline.tracer().spanBuilder("send-batch").setSpanKind(SpanKind.PRODUCER).startSpan();
    try (Scope scope = batch.makeCurrent()) {
      return work.apply(XRayPropagator.header(Context.current()));
    } catch (RuntimeException e) {
      batch.recordException(e);
      batch.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      batch.end();
    }
  }

  @Override
  public <T> Callable<T> carryOver(Callable<T> task) {
    return Context.current().wrap(task);
  }

  @Override
  public boolean flush() {
    return pipeline.flush(FLUSH_TIMEOUT);
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
