package dev.queuescaler.worker;

import com.amazonaws.xray.AWSXRayRecorder;
import dev.queuescaler.telemetry.OtelPipeline;
import java.util.Optional;

/**
 * Where each message's trace goes: one span (an X-Ray segment) per message named {@value #SEGMENT},
 * continuing the producer's trace from {@code AWSTraceHeader}, from its receive to its delete, with
 * the SQS calls and the processing beneath. Built once per process ({@code TRACING} chooses: {@link
 * XRayWorkerTracing} or {@link OtelWorkerTracing}) and closed by its owner after the workers that
 * share it have stopped.
 */
public interface WorkerTracing extends AutoCloseable {

  String SEGMENT = "queue-worker";

  /**
   * Starts a message's trace at {@code receiveStart} (epoch seconds), annotated with the queue, the
   * message id and how many times SQS has handed the message out (so redeliveries can be found:
   * {@code annotation.receiveCount > 1}).
   */
  MessageTrace start(
      ReceivedMessage message, String queueName, int receiveCount, double receiveStart);

  /** Sends what is still held; the tracing records nothing after. */
  @Override
  default void close() {}

  /** A message's trace, from its receive to its delete. Times are epoch seconds. */
  interface MessageTrace {

    /** The handler ran from {@code start} to {@code end}, and failed with {@code failure}. */
    void processed(double start, double end, Optional<Throwable> failure);

    /** An SQS call (a batch shared with other messages) that concerned this message. */
    void sqsCall(String operation, double start, double end, boolean failed);

    /** Ends the trace: the message is deleted or given back. */
    void finish(double end);
  }

  /** No traces at all ({@code TRACING=off}). */
  WorkerTracing NONE =
      (message, queue, count, start) ->
          new MessageTrace() {
            @Override
            public void processed(double start, double end, Optional<Throwable> failure) {}

            @Override
            public void sqsCall(String operation, double start, double end, boolean failed) {}

            @Override
            public void finish(double end) {}
          };

  /** Segments sent to the X-Ray daemon at {@code host:port}. */
  static WorkerTracing xray(String daemonAddress) {
    return new XRayWorkerTracing(XRayWorkerTracing.recorder(daemonAddress));
  }

  /** Segments sent with {@code recorder}. */
  static WorkerTracing xray(AWSXRayRecorder recorder) {
    return new XRayWorkerTracing(recorder);
  }

  /** A recorder that sends to the X-Ray daemon at {@code host:port}. */
  static AWSXRayRecorder recorder(String daemonAddress) {
    return XRayWorkerTracing.recorder(daemonAddress);
  }

  /** Spans through {@code pipeline}, which this closes. */
  static WorkerTracing openTelemetry(OtelPipeline pipeline) {
    return new OtelWorkerTracing(pipeline);
  }

  /** The tracing {@code settings} choose. */
  static WorkerTracing chosen(WorkerSettings settings) {
    return switch (settings.tracing()) {
      case XRAY -> xray(settings.xrayDaemonAddress());
      case OTEL ->
          openTelemetry(
              OtelPipeline.exportingTo(
                  settings.otel(), OtelWorkerTracing.SCOPE, OtelWorkerTracing.ROOT_SAMPLE_RATIO));
      case OFF -> NONE;
    };
  }
}
