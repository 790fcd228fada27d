package dev.queuescaler.generator;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import dev.queuescaler.telemetry.XRayExceptions;
import dev.queuescaler.telemetry.XRayLambdaDocuments;
import dev.queuescaler.telemetry.XRayRecorders;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The generator's X-Ray edge: a subsegment per batch, the SDK interceptor's subsegment per call,
 * and the {@code AWSTraceHeader} each message carries so the worker continues the trace.
 */
final class XRayGeneratorTracing implements GeneratorTracing {

  private final AWSXRayRecorder recorder;

  XRayGeneratorTracing(AWSXRayRecorder recorder) {
    this.recorder = recorder;
  }

  /** A recorder that sends to the daemon at {@code host:port}; a missing context only logs. */
  static AWSXRayRecorder recorder(String daemonAddress) {
    return XRayRecorders.sendingTo(daemonAddress, new AllSamplingStrategy());
  }

  AWSXRayRecorder recorder() {
    return recorder;
  }

  @Override
  public List<ExecutionInterceptor> sdkInterceptors() {
    return List.of(new TracingInterceptor(recorder, null, null));
  }

  /** Runs {@code work} in a segment of its own (the CLI has no enclosing segment). */
  @Override
  public <T> T inSegment(Callable<T> work) throws Exception {
    Entity segment = recorder.beginSegment(CLI_SEGMENT);
    try {
      return work.call();
    } catch (Exception e) {
      XRayExceptions.addException(segment, e);
      throw e;
    } finally {
      recorder.endSegment();
    }
  }

  /**
   * Runs {@code work} in a {@value GeneratorTracing#INVOCATION} subsegment beneath the function's
   * segment, as {@link OtelGeneratorTracing} does. In a Lambda the recorder holds no trace entity
   * on the invocation's thread until a subsegment begins: the function's segment is a facade the
   * SDK builds from the invocation's trace header then. Without this subsegment {@link #inBatch}
   * found no trace, opened no {@code send-batch} and gave the messages no header. Outside a Lambda
   * (the recorder's context is not Lambda's) nothing is opened, as before: there is no function's
   * segment to hang beneath.
   */
  @Override
  public <T> T inInvocation(Callable<T> work) throws Exception {
    if (!(recorder.getSegmentContextResolverChain().resolve() instanceof LambdaSegmentContext)) {
      return work.call();
    }
    Subsegment invocation = recorder.beginSubsegment(INVOCATION);
    try {
      return work.call();
    } catch (Exception e) {
      XRayExceptions.addException(invocation, e);
      throw e;
    } finally {
      // The SDK sends this subsegment whole, in one datagram of at most 64 KB: its batches (their
      // pool's tasks have joined) go first, each in a document of its own.
      XRayLambdaDocuments.sendEndedChildren(recorder, invocation);
      recorder.endSubsegment();
    }
  }

  /**
   * Runs one batch in a {@code send-batch} subsegment; {@code work} receives the trace header the
   * batch's messages carry (empty when there is no trace).
   */
  @Override
  public <T> T inBatch(Function<Optional<String>, T> work) {
    if (recorder.getTraceEntity() == null) {
      return work.apply(Optional.empty());
    }
    Subsegment batch = recorder.beginSubsegment("send-batch");
    try {
      TraceHeader header =
          new TraceHeader(
              batch.getParentSegment().getTraceId(),
              batch.getParentSegment().isSampled() ? batch.getId() : null,
              batch.getParentSegment().isSampled()
                  ? TraceHeader.SampleDecision.SAMPLED
                  : TraceHeader.SampleDecision.NOT_SAMPLED);
      return work.apply(Optional.of(header.toString()));
    } catch (RuntimeException e) {
      XRayExceptions.addException(batch, e);
      throw e;
    } finally {
      recorder.endSubsegment();
    }
  }

  /** Hands the current trace entity to a pool thread. */
  @Override
  public <T> Callable<T> carryOver(Callable<T> task) {
    return XRayRecorders.carryOver(recorder, task);
  }
}
