package dev.queuescaler.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process's OpenTelemetry tracing, built once in its composition root and closed with it (no
 * global instance): X-Ray trace ids, every trace sampled unless its parent says otherwise, and
 * spans batched to an exporter; {@link XRayPropagator} carries traces between processes.
 *
 * <p>Building it opens no connection: the first export does. A SnapStart snapshot taken after the
 * handler's constructor so holds no socket that the restore would find dead.
 */
public final class OtelPipeline implements AutoCloseable {

  /** The system property the Lambda Java runtime sets to each invocation's trace header. */
  public static final String LAMBDA_TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

  /** The variable Lambda sets to the trace header (the runtime's property takes precedence). */
  public static final String LAMBDA_TRACE_VARIABLE = "_X_AMZN_TRACE_ID";

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtelPipeline(SdkTracerProvider provider, String scope) {
    this.provider = provider;
    this.tracer = provider.get(scope);
  }

  /** Spans batched to the OTLP/HTTP protobuf endpoint of {@code settings}; every trace sampled. */
  public static OtelPipeline exportingTo(OtelSettings settings, String scope) {
    return exportingTo(settings, scope, 1.0);
  }

  /**
   * Spans batched to the OTLP/HTTP protobuf endpoint of {@code settings}. A trace that continues
   * another process's keeps its sampling decision; a trace that starts here is sampled with {@code
   * rootRatio} (0..1).
   */
  public static OtelPipeline exportingTo(OtelSettings settings, String scope, double rootRatio) {
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.tracesEndpoint().toString())
            .setTimeout(settings.exportTimeout())
            .build();
    return new OtelPipeline(
        provider(
            BatchSpanProcessor.builder(exporter).build(),
            settings.serviceName(),
            rootRatio >= 1.0 ? Sampler.alwaysOn() : Sampler.traceIdRatioBased(rootRatio)),
        scope);
  }

  /** Each span handed to {@code exporter} as it ends: for tests with an in-memory exporter. */
  public static OtelPipeline exportingEachSpanTo(
      SpanExporter exporter, String serviceName, String scope) {
    return new OtelPipeline(
        provider(SimpleSpanProcessor.create(exporter), serviceName, Sampler.alwaysOn()), scope);
  }

  private static SdkTracerProvider provider(
      SpanProcessor processor, String serviceName, Sampler roots) {
    return SdkTracerProvider.builder()
        .setIdGenerator(new XRayIdGenerator())
        .setSampler(Sampler.parentBased(roots))
        .setResource(
            Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
        .addSpanProcessor(processor)
        .build();
  }

  public Tracer tracer() {
    return tracer;
  }

  /**
   * The Lambda function's own segment as the parent context, from the invocation's trace header
   * ({@value #LAMBDA_TRACE_PROPERTY}, else {@value #LAMBDA_TRACE_VARIABLE}); the root context
   * outside a Lambda.
   */
  public static Context lambdaParent() {
    return lambdaParent(System.getProperty(LAMBDA_TRACE_PROPERTY), System.getenv());
  }

  static Context lambdaParent(String property, Map<String, String> env) {
    String header =
        property != null && !property.isBlank() ? property : env.get(LAMBDA_TRACE_VARIABLE);
    return XRayPropagator.parse(header)
        .map(parent -> Context.root().with(Span.wrap(parent)))
        .orElse(Context.root());
  }

  /**
   * Exports every ended span now, waiting at most {@code timeout}: a Lambda is frozen when the
   * invocation returns, so what is still in the batch would leave only at the next invocation, or
   * never. Returns whether the export finished in time.
   */
  public boolean flush(Duration timeout) {
    CompletableResultCode result =
        provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return result.isSuccess();
  }

  /** Exports what is left (at most five seconds), then stops. */
  @Override
  public void close() {
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
