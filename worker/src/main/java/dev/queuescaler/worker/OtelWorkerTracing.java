package dev.queuescaler.worker;

import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.XRayAnnotations;
import dev.queuescaler.telemetry.XRayPropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One OpenTelemetry span per message, what {@link XRayWorkerTracing} records as a segment: a
 * consumer span {@value WorkerTracing#SEGMENT} whose parent is the producer's span from {@code
 * AWSTraceHeader} (same trace id, so X-Ray links producer and consumer), annotated with {@code
 * queue, messageId, receiveCount} (listed for X-Ray to index), with an {@code SQS} client span per
 * call and a {@code process} span. Receive and delete are batch calls shared by several messages,
 * so each span is given the calls' real start and end times.
 */
final class OtelWorkerTracing implements WorkerTracing {

  static final String SCOPE = "dev.queuescaler.worker";

  /**
   * The share of messages without a producer trace that are traced: X-Ray's default rule (the X-Ray
   * SDK's local rules) takes one a second and 5 % beyond; the SDK has no rate limiter, so 5 %.
   */
  static final double ROOT_SAMPLE_RATIO = 0.05;

  private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

  private final OtelPipeline pipeline;
  private final Tracer tracer;

  OtelWorkerTracing(OtelPipeline pipeline) {
    this.pipeline = pipeline;
    this.tracer = pipeline.tracer();
  }

  @Override
  public MessageTrace start(
      ReceivedMessage message, String queueName, int receiveCount, double receiveStart) {
    SpanBuilder builder =
        tracer
            .spanBuilder(SEGMENT)
            .setSpanKind(SpanKind.CONSUMER)
            .setStartTimestamp(nanos(receiveStart), TimeUnit.NANOSECONDS);
    Optional<Context> producer =
        message
            .traceHeader()
            .flatMap(XRayPropagator::parse)
            .map(parent -> Context.root().with(Span.wrap(parent)));
    if (producer.isPresent()) {
      builder.setParent(producer.get());
    } else {
      builder.setNoParent();
    }
    Span span = builder.startSpan();
    XRayAnnotations.on(span)
        .put("queue", queueName)
        .put("messageId", message.messageId())
        .put("receiveCount", (long) receiveCount);
    return new OtelMessageTrace(span);
  }

  private final class OtelMessageTrace implements MessageTrace {
    private final Span span;
    private final Context context;

    OtelMessageTrace(Span span) {
      this.span = span;
      this.context = Context.root().with(span);
    }

    @Override
    public void processed(double start, double end, Optional<Throwable> failure) {
      Span process = child("process", SpanKind.INTERNAL, start);
      failure.ifPresent(
          e -> {
            process.recordException(e);
            process.setStatus(StatusCode.ERROR);
            span.setStatus(StatusCode.ERROR);
          });
      process.end(nanos(end), TimeUnit.NANOSECONDS);
    }

    @Override
    public void sqsCall(String operation, double start, double end, boolean failed) {
      Span call = child("SQS." + operation, SpanKind.CLIENT, start);
      call.setAttribute(RPC_SYSTEM, "aws-api");
      call.setAttribute(RPC_SERVICE, "Sqs");
      call.setAttribute(RPC_METHOD, operation);
      if (failed) {
        call.setStatus(StatusCode.ERROR);
      }
      call.end(nanos(end), TimeUnit.NANOSECONDS);
    }

    @Override
    public void finish(double end) {
      span.end(nanos(end), TimeUnit.NANOSECONDS);
    }

    private Span child(String name, SpanKind kind, double start) {
      return tracer
          .spanBuilder(name)
          .setParent(context)
          .setSpanKind(kind)
          .setStartTimestamp(nanos(start), TimeUnit.NANOSECONDS)
          .startSpan();
    }
  }

  private static long nanos(double epochSeconds) {
    return Math.round(epochSeconds * 1_000_000) * 1_000L;
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
