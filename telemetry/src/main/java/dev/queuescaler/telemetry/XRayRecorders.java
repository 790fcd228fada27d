package dev.queuescaler.telemetry;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.strategy.LogErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.SamplingStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** What the scaler, the worker and the generator do alike with the X-Ray SDK's recorder. */
public final class XRayRecorders {

  private XRayRecorders() {}

  /**
   * A recorder that sends to the daemon at {@code host:port} (or {@code udp:host:port
   * tcp:host:port}) and samples by {@code sampling}. A missing context is logged, never thrown:
   * tracing must not stop the work it traces. That holds whatever {@code AWS_XRAY_CONTEXT_MISSING}
   * (or the system property {@code com.amazonaws.xray.strategy.contextMissingStrategy}) says: the
   * SDK's builder lets either replace the strategy it is given, so the strategy is set on the
   * recorder once it is built.
   *
   * <p>Under a Lambda's facade segment nothing is streamed on the way ({@link
   * XRayLambdaDocuments#STREAMING}): the caller sends a top subsegment's ended children with {@link
   * XRayLambdaDocuments#sendEndedChildren} before ending it.
   */
  public static AWSXRayRecorder sendingTo(String daemonAddress, SamplingStrategy sampling) {
    DaemonConfiguration daemon = new DaemonConfiguration();
    daemon.setDaemonAddress(daemonAddress);
    AWSXRayRecorder recorder;
    try {
      recorder =
          AWSXRayRecorderBuilder.standard()
              .withEmitter(Emitter.create(daemon))
              .withSamplingStrategy(sampling)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the X-Ray emitter for " + daemonAddress, e);
    }
    recorder.setContextMissingStrategy(new LogErrorContextMissingStrategy());
    recorder.setStreamingStrategy(XRayLambdaDocuments.STREAMING);
    return recorder;
  }

  /**
   * {@code task} with the calling thread's trace entity: the recorder keeps it per thread, so a
   * pool's thread would otherwise record outside the trace.
   */
  public static <T> Callable<T> carryOver(AWSXRayRecorder recorder, Callable<T> task) {
    Entity parent = recorder.getTraceEntity();
    return () -> {
      if (parent != null) {
        recorder.setTraceEntity(parent);
      }
      try {
        return task.call();
      } finally {
        recorder.clearTraceEntity();
      }
    };
  }
}
