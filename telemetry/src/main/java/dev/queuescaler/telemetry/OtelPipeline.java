package dev.queuescaler.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
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
 * global instance): X-Ray trace ids, every trace sampled unless its parent says otherwise, the
 * X-Ray propagation format, and spans batched to an exporter.
 *
 * <p>Building it opens no connection: the first export does. A SnapStart snapshot taken after the
 * handler's constructor so holds no socket that the restore would find dead.
 */
public final class OtelPipeline implements AutoCloseable {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtelPipeline(SdkTracerProvider provider, String scope) {
    this.provider = provider;
    this.tracer = provider.get(scope);
  }

  /** Spans batched to the OTLP/HTTP protobuf endpoint of {@code settings}. */
  public static OtelPipeline exportingTo(OtelSettings settings, String scope) {
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.tracesEndpoint().toString())
            .setTimeout(settings.exportTimeout())
            .build();
    return new OtelPipeline(
        provider(BatchSpanProcessor.builder(exporter).build(), settings.serviceName()), scope);
  }

  /** Each span handed to {@code exporter} as it ends: for tests with an in-memory exporter. */
  public static OtelPipeline exportingEachSpanTo(
      SpanExporter exporter, String serviceName, String scope) {
    return new OtelPipeline(provider(SimpleSpanProcessor.create(exporter), serviceName), scope);
  }

  private static SdkTracerProvider provider(SpanProcessor processor, String serviceName) {
    return SdkTracerProvider.builder()
        .setIdGenerator(new XRayIdGenerator())
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .setResource(
            Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
        .addSpanProcessor(processor)
        .build();
  }

  public Tracer tracer() {
    return tracer;
  }

  /**
   * The X-Ray format ({@code Root=1-...;Parent=...;Sampled=1}), as SQS's AWSTraceHeader carries.
   */
  public static TextMapPropagator propagator() {
    return AwsXrayPropagator.getInstance();
  }

  /**
   * The Lambda function's own segment as the parent context: from the invocation's trace header
   * (the system property {@code com.amazonaws.xray.traceHeader} the Java runtime sets per
   * invocation, or {@code _X_AMZN_TRACE_ID}); the root context outside a Lambda.
   */
  public static Context lambdaParent() {
    return AwsXrayLambdaPropagator.getInstance().extract(Context.root(), Map.of(), NO_CARRIER);
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

  private static final TextMapGetter<Map<String, String>> NO_CARRIER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
}
