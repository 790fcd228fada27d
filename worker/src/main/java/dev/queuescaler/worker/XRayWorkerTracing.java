package dev.queuescaler.worker;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Namespace;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.SegmentImpl;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.SubsegmentImpl;
import com.amazonaws.xray.entities.ThrowableDescription;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.entities.TraceID;
import com.amazonaws.xray.strategy.sampling.LocalizedSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.SamplingRequest;
import dev.queuescaler.telemetry.XRayRecorders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One X-Ray segment per message, named {@value WorkerTracing#SEGMENT}, continuing the producer's
 * trace from {@code AWSTraceHeader} (its trace id and parent id; its sampling decision when it has
 * one), with subsegments for the SQS calls and the processing.
 *
 * <p>Receive and delete are batch calls shared by several messages, so each message's segment is
 * built by hand with the calls' real start and end times rather than through the recorder's
 * thread-local context.
 */
final class XRayWorkerTracing implements WorkerTracing {

  /**
   * The most exceptions of a failure's cause chain a segment describes: the SDK writes up to 50
   * stack frames for each, and a segment leaves in one UDP datagram of at most 64 KB.
   */
  static final int MAX_CAUSES = 8;

  /** How far past {@link #MAX_CAUSES} a chain's causes are counted for the note that ends it. */
  private static final int COUNTED_AT_MOST = 1_000;

  private final AWSXRayRecorder recorder;

  XRayWorkerTracing(AWSXRayRecorder recorder) {
    this.recorder = recorder;
  }

  /** Sends to the daemon at {@code host:port}; messages without a header use local rules. */
  static AWSXRayRecorder recorder(String daemonAddress) {
    return XRayRecorders.sendingTo(daemonAddress, new LocalizedSamplingStrategy());
  }

  /** A message's segment, from its receive to its delete. */
  private final class XRayMessageTrace implements MessageTrace {
    private final Segment segment;
    private final boolean sampled;

    private XRayMessageTrace(Segment segment, boolean sampled) {
      this.segment = segment;
      this.sampled = sampled;
    }

    @Override
    public void processed(double start, double end, Optional<Throwable> failure) {
      Subsegment process = subsegment("process", start, end);
      failure.ifPresent(
          e -> {
            addException(process, e);
            process.setFault(true);
            segment.setFault(true);
          });
    }

    @Override
    public void sqsCall(String operation, double start, double end, boolean failed) {
      Subsegment call = subsegment("SQS", start, end);
      call.setNamespace(Namespace.AWS.toString());
      call.putAws("operation", operation);
      if (failed) {
        call.setFault(true);
      }
    }

    /** Ends the segment and sends it when sampled. */
    @Override
    public void finish(double end) {
      segment.setEndTime(end);
      segment.setInProgress(false);
      if (sampled) {
        recorder.getEmitter().sendSegment(segment);
      }
    }

    private Subsegment subsegment(String name, double start, double end) {
      Subsegment sub = new SubsegmentImpl(recorder, name, segment);
      sub.setStartTime(start);
      sub.setEndTime(end);
      sub.setInProgress(false);
      segment.addSubsegment(sub);
      return sub;
    }
  }

  /**
   * Describes {@code failure} on {@code entity}. The SDK follows {@code getCause()} until it is
   * null, with no check for a loop: a chain whose causes loop ({@code a.initCause(b);
   * b.initCause(a)}, which the JDK allows) sent it round until the heap was gone. A chain that ends
   * within {@link #MAX_CAUSES} is handed over as it is; any other is handed over as copies of its
   * first exceptions, each once, up to {@link #MAX_CAUSES}, the last saying where the loop closes
   * (as the JDK prints it) or how many causes were left out. The descriptions keep each exception's
   * type, message and stack trace.
   */
  static void addException(Entity entity, Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    Throwable next = failure;
    while (next != null && chain.size() < MAX_CAUSES && seen.add(next)) {
      chain.add(next);
      next = next.getCause();
    }
    if (next == null) {
      entity.addException(failure);
      return;
    }
    String closing;
    if (seen.contains(next)) {
      closing = "[CIRCULAR REFERENCE: " + next + "]";
    } else {
      // Counted, not described, and only so far: the chain past the bound may be long or loop.
      int left = 0;
      for (Throwable rest = next;
          rest != null && left < COUNTED_AT_MOST && seen.add(rest);
          rest = rest.getCause()) {
        left++;
      }
      closing =
          "[" + (left < COUNTED_AT_MOST ? left : "at least " + left) + " more causes left out]";
    }
    Throwable copy = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Throwable original = chain.get(i);
      String message = original.getMessage();
      if (i == chain.size() - 1) {
        message = message == null ? closing : message + " " + closing;
      }
      copy = new CauseCopy(original, message, copy);
    }
    entity.addException(copy);
    for (ThrowableDescription description : entity.getCause().getExceptions()) {
      if (description.getThrowable() instanceof CauseCopy described) {
        description.setType(described.type);
      }
    }
  }

  /**
   * One exception of a cause chain, copied without its cause so that the copies form a chain that
   * ends: its type's name (the SDK would name this class), message and stack trace.
   */
  private static final class CauseCopy extends Exception {
    private static final long serialVersionUID = 1L;
    private final String type;

    CauseCopy(Throwable original, String message, Throwable cause) {
      super(message, cause, false, true);
      this.type = original.getClass().getName();
      setStackTrace(original.getStackTrace());
    }
  }

  @Override
  public MessageTrace start(
      ReceivedMessage message, String queueName, int receiveCount, double receiveStart) {
    Optional<TraceHeader> header = message.traceHeader().map(TraceHeader::fromString);
    TraceID traceId =
        header.map(TraceHeader::getRootTraceId).orElseGet(() -> TraceID.create(recorder));
    Segment segment = new SegmentImpl(recorder, SEGMENT, traceId);
    header.map(TraceHeader::getParentId).ifPresent(segment::setParentId);
    segment.setStartTime(receiveStart);
    segment.putAnnotation("queue", queueName);
    segment.putAnnotation("messageId", message.messageId());
    segment.putAnnotation("receiveCount", receiveCount);
    boolean sampled =
        header
            .map(TraceHeader::getSampled)
            .filter(
                decision ->
                    decision != TraceHeader.SampleDecision.UNKNOWN
                        && decision != TraceHeader.SampleDecision.REQUESTED)
            .map(decision -> decision == TraceHeader.SampleDecision.SAMPLED)
            .orElseGet(
                () ->
                    recorder
                        .getSamplingStrategy()
                        .shouldTrace(new SamplingRequest(SEGMENT, null, queueName, "SQS", "worker"))
                        .isSampled());
    segment.setSampled(sampled);
    return new XRayMessageTrace(segment, sampled);
  }
}
