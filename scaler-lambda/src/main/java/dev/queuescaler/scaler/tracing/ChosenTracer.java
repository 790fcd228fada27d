package dev.queuescaler.scaler.tracing;

import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.telemetry.AwsCallSpans;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The tracer {@code TRACING} chose, built once per container: the cycle's {@link Tracing}, the
 * interceptors that give each AWS SDK call its span, and what must happen before a Lambda
 * invocation returns (OpenTelemetry batches spans; the X-Ray SDK has sent each segment as it
 * ended).
 */
public final class ChosenTracer implements AutoCloseable {

  /**
   * The longest a Lambda invocation waits for its spans to leave: the cycle's work is done by then,
   * and a collector that does not answer must not hold the function (its spans are lost instead).
   */
  public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);

  /** OpenTelemetry's name for the scaler's spans (the instrumentation scope). */
  public static final String SCOPE = "dev.queuescaler.scaler";

  private final TracingChoice choice;
  private final Tracing tracing;
  private final List<ExecutionInterceptor> sdkInterceptors;
  private final Optional<OtelPipeline> otel;

  private ChosenTracer(
      TracingChoice choice,
      Tracing tracing,
      List<ExecutionInterceptor> sdkInterceptors,
      Optional<OtelPipeline> otel) {
    this.choice = choice;
    this.tracing = tracing;
    this.sdkInterceptors = sdkInterceptors;
    this.otel = otel;
  }

  /** Builds only the chosen tracer: with OpenTelemetry, no X-Ray class is loaded, and back. */
  public static ChosenTracer create(
      TracingChoice choice,
      TraceRoot root,
      String xrayDaemonAddress,
      Optional<OtelSettings> otelSettings) {
    return switch (choice) {
      case XRAY -> {
        XRayTracing xray = new XRayTracing(XRayTracing.recorder(xrayDaemonAddress, root), root);
        yield new ChosenTracer(choice, xray, List.of(xray.sdkInterceptor()), Optional.empty());
      }
      case OTEL ->
          openTelemetry(
              OtelPipeline.exportingTo(
                  otelSettings.orElseThrow(
                      () -> new IllegalArgumentException("TRACING=otel needs the OTEL_* settings")),
                  SCOPE),
              root);
      case OFF -> new ChosenTracer(choice, Tracing.NONE, List.of(), Optional.empty());
    };
  }

  /** OpenTelemetry through {@code pipeline}, which this closes. */
  public static ChosenTracer openTelemetry(OtelPipeline pipeline, TraceRoot root) {
    return new ChosenTracer(
        TracingChoice.OTEL,
        new OtelTracing(pipeline.tracer(), root),
        List.of(new AwsCallSpans(pipeline.tracer())),
        Optional.of(pipeline));
  }

  public TracingChoice choice() {
    return choice;
  }

  public Tracing tracing() {
    return tracing;
  }

  /** For every AWS SDK client of the container. */
  public List<ExecutionInterceptor> sdkInterceptors() {
    return sdkInterceptors;
  }

  /** Sends what is batched, waiting at most {@link #FLUSH_TIMEOUT}; whether it all left. */
  public boolean flush() {
    return otel.map(pipeline -> pipeline.flush(FLUSH_TIMEOUT)).orElse(true);
  }

  @Override
  public void close() {
    otel.ifPresent(OtelPipeline::close);
  }
}
