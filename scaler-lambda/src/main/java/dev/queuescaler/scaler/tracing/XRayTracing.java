package dev.queuescaler.scaler.tracing;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.DefaultThrowableSerializationStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.telemetry.XRayExceptions;
import dev.queuescaler.telemetry.XRayLambdaDocuments;
import dev.queuescaler.telemetry.XRayRecorders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Traces a cycle with X-Ray: a {@code decide} subsegment per target, annotated with {@code target,
 * backlog, current, desired, action, reason} (indexed: {@code annotation.action = "SCALE_OUT"}) and
 * the whole decision as metadata; the SDK interceptor adds a subsegment per AWS call beneath.
 */
public final class XRayTracing implements Tracing {

  /** The segment the CLI opens for each cycle. */
  public static final String CLI_SEGMENT = "queue-scaler";

  /** The subsegment the Lambda opens under the function's segment for each cycle. */
  public static final String LAMBDA_CYCLE_SUBSEGMENT = "scaling-cycle";

  public static final String DECIDE_SUBSEGMENT = "decide";

  /** The subsegment of an action decided earlier in its round. */
  public static final String ACT_SUBSEGMENT = "act";

  public static final String DEFAULT_DAEMON_ADDRESS = "127.0.0.1:2000";

  private final AWSXRayRecorder recorder;
  private final TraceRoot root;

  /**
   * In the CLI ({@link TraceRoot#OWN_TRACE}) each cycle opens a segment {@value #CLI_SEGMENT}; in
   * the Lambda a subsegment {@value #LAMBDA_CYCLE_SUBSEGMENT} of the function's segment.
   */
  public XRayTracing(AWSXRayRecorder recorder, TraceRoot root) {
    this.recorder = recorder;
    this.root = root;
  }

  /** The stack frames recorded per exception (the SDK's default is 50) of a failed call. */
  static final int STACK_FRAMES = 10;

  /**
   * A recorder that sends to the daemon at {@code daemonAddress} ({@code host:port}, or {@code
   * udp:host:port tcp:host:port}), for cycles traced under {@code root}.
   *
   * <p>Every cycle is sampled (one trace a minute costs nothing); in the Lambda the function's
   * sampling decision applies anyway. A missing context is logged, never thrown: tracing must not
   * stop scaling.
   *
   * <p>Each document goes to the daemon in one UDP datagram, at most 64 KB. The CLI's segment is
   * sent with its subsegments one by one when it is larger, but in the Lambda the cycle is a
   * subsegment of the function's segment, which the SDK sends whole or not at all: a cycle whose
   * failed calls each carry a stack trace (four targets with two refused connections each came to
   * 116 KB) was lost. The SDK's own streaming did not prevent that when targets are decided on a
   * pool (it only tries each lock, and sent the cycle twice), so in the Lambda nothing is streamed
   * on the way ({@link XRayLambdaDocuments#STREAMING}, set by {@link XRayRecorders#sendingTo}):
   * each decision, action and call of the cycle is sent in a document of its own by the thread that
   * ends it, as it ends ({@link XRayLambdaDocuments#SEND_ON_END}, and {@link #sdkInterceptor} for
   * the calls), so that the cycle holds only the work in flight, not a whole outage's exceptions
   * until it ends; whatever is left when the cycle's work has returned is sent then ({@link
   * XRayLambdaDocuments#sendEndedChildren}: a call still running, one that outlived its read, is
   * sent by its thread when it ends), and the cycle's own document, sent once when it ends, comes
   * last. Each exception keeps {@value #STACK_FRAMES} frames per cause and at most {@value
   * XRayExceptions#MAX_CAUSES} causes, so that one failed call's document stays small.
   */
  public static AWSXRayRecorder recorder(String daemonAddress, TraceRoot root) {
    AWSXRayRecorder recorder = XRayRecorders.sendingTo(daemonAddress, new AllSamplingStrategy());
    recorder.addSegmentListener(XRayLambdaDocuments.SEND_ON_END);
    recorder.setThrowableSerializationStrategy(
        new DefaultThrowableSerializationStrategy(STACK_FRAMES));
    return recorder;
  }

  /**
   * The interceptor that records one subsegment per AWS SDK call with this recorder; in the Lambda
   * a call directly beneath the cycle is sent as soon as it ends ({@link
   * XRayLambdaDocuments#sendIfEnded}).
   */
  public ExecutionInterceptor sdkInterceptor() {
    return new TracingInterceptor(recorder, null, null) {
      @Override
      public void afterExecution(
          Context.AfterExecution context, ExecutionAttributes executionAttributes) {
        Subsegment call = executionAttributes.getAttribute(TracingInterceptor.entityKey);
        super.afterExecution(context, executionAttributes);
        XRayLambdaDocuments.sendIfEnded(call);
      }

      @Override
      public void onExecutionFailure(
          Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Subsegment call = executionAttributes.getAttribute(TracingInterceptor.entityKey);
        super.onExecutionFailure(context, executionAttributes);
        XRayLambdaDocuments.sendIfEnded(call);
      }
    };
  }

  @Override
  public <T> T cycle(Supplier<T> work) {
    Entity entity =
        root == TraceRoot.OWN_TRACE
            ? recorder.beginSegment(CLI_SEGMENT)
            : recorder.beginSubsegment(LAMBDA_CYCLE_SUBSEGMENT);
    try {
      return work.get();
    } catch (RuntimeException e) {
      XRayExceptions.addException(entity, e);
      throw e;
    } finally {
      if (root == TraceRoot.OWN_TRACE) {
        recorder.endSegment();
      } else {
        // The cycle's work has returned, its pool's tasks with it: send what is left beneath it.
        XRayLambdaDocuments.sendEndedChildren(recorder, entity);
        recorder.endSubsegment();
      }
    }
  }

  @Override
  public TargetOutcome decide(Supplier<TargetOutcome> work) {
    return annotated(DECIDE_SUBSEGMENT, work);
  }

  @Override
  public TargetOutcome act(Supplier<TargetOutcome> work) {
    return annotated(ACT_SUBSEGMENT, work);
  }

  private TargetOutcome annotated(String name, Supplier<TargetOutcome> work) {
    Subsegment subsegment = recorder.beginSubsegment(name);
    try {
      TargetOutcome outcome = work.get();
      DecisionRecord d = outcome.decision();
      subsegment.putAnnotation("target", d.target());
      // Only what was read: an outage must not look like an empty queue or a stopped service.
      d.backlog().ifPresent(backlog -> subsegment.putAnnotation("backlog", backlog));
      d.current().ifPresent(current -> subsegment.putAnnotation("current", current));
      d.desired().ifPresent(desired -> subsegment.putAnnotation("desired", desired));
      subsegment.putAnnotation("action", d.action().name());
      subsegment.putAnnotation("reason", d.reason().name());
      subsegment.putMetadata("queue-scaler", "decision", metadata(d));
      if (!outcome.completed()) {
        subsegment.setError(true);
      }
      return outcome;
    } catch (RuntimeException e) {
      XRayExceptions.addException(subsegment, e);
      throw e;
    } finally {
      recorder.endSubsegment();
    }
  }

  @Override
  public <T> Callable<T> carryOver(Callable<T> task) {
    return XRayRecorders.carryOver(recorder, task);
  }

  @Override
  public Optional<String> traceId() {
    Entity current = recorder.getTraceEntity();
    return current == null
        ? Optional.empty()
        : Optional.of(current.getParentSegment().getTraceId().toString());
  }

  private static Map<String, Object> metadata(DecisionRecord d) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("target", d.target());
    fields.put("visible", d.visible().orElse(null));
    fields.put("inFlight", d.inFlight().orElse(null));
    fields.put("delayed", d.delayed().orElse(null));
    fields.put("backlog", d.backlog().orElse(null));
    fields.put("current", d.current().orElse(null));
    fields.put("running", d.running().orElse(null));
    fields.put("pending", d.pending().orElse(null));
    fields.put("recommended", d.recommended().orElse(null));
    fields.put("desired", d.desired().orElse(null));
    fields.put("action", d.action().name());
    fields.put("reason", d.reason().name());
    fields.put("dryRun", d.dryRun());
    fields.put("errors", d.errors());
    fields.put("time", d.time().toString());
    return fields;
  }
}
