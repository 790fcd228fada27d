package dev.queuescaler.generator;

import com.amazonaws.xray.AWSXRayRecorder;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Lets the worker's tests send with the real generator code through its package-private API. */
public final class GeneratorTestAccess {

  private GeneratorTestAccess() {}

  /** Sends {@code count} messages of {@code workMillis}; returns how many were sent. */
  public static long send(SqsClient sqs, String queueUrl, int count, int workMillis) {
    Generator generator = Generator.create(sqs, "127.0.0.1:2000", Clock.systemUTC());
    return generator
        .generate(
            new GenerateRequest(
                queueUrl, count, Optional.empty(), 256, workMillis, 0, Optional.of(9L)))
        .sent();
  }

  /** Sends inside a generator segment, as the CLI does; returns that segment's trace id. */
  public static String sendTraced(SqsClient sqs, String queueUrl, int count, String daemon)
      throws Exception {
    XRayGeneratorTracing tracing = new XRayGeneratorTracing(XRayGeneratorTracing.recorder(daemon));
    AWSXRayRecorder recorder = tracing.recorder();
    Generator generator = new Generator(sqs, tracing, Clock.systemUTC());
    String[] traceId = new String[1];
    tracing.inSegment(
        () -> {
          traceId[0] = recorder.getTraceEntity().getParentSegment().getTraceId().toString();
          return generator.generate(
              new GenerateRequest(queueUrl, count, Optional.empty(), 256, 0, 0, Optional.of(5L)));
        });
    return traceId[0];
  }

  /**
   * Sends inside the generator's root span with OpenTelemetry, exporting to {@code otlpEndpoint} as
   * the CLI does with {@code TRACING=otel}; returns the trace id (32 hex digits) once its spans
   * have been sent.
   */
  public static String sendTracedWithOpenTelemetry(
      SqsClient sqs, String queueUrl, int count, String otlpEndpoint) throws Exception {
    String[] traceId = new String[1];
    // Not closed whole: the client is the test's. Closing the tracing sends every span.
    try (GeneratorTracing tracing =
        GeneratorTracing.chosen(
            Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint))) {
      Generator generator = new Generator(sqs, tracing, Clock.systemUTC());
      tracing.inSegment(
          () -> {
            traceId[0] = Span.current().getSpanContext().getTraceId();
            return generator.generate(
                new GenerateRequest(queueUrl, count, Optional.empty(), 256, 0, 0, Optional.of(5L)));
          });
    }
    return traceId[0];
  }
}
