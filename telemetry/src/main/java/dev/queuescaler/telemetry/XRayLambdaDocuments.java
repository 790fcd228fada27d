package dev.queuescaler.telemetry;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.FacadeSegment;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.listeners.SegmentListener;
import com.amazonaws.xray.strategy.DefaultStreamingStrategy;
import com.amazonaws.xray.strategy.StreamingStrategy;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gets a Lambda's subsegments to the X-Ray daemon. In a Lambda the SDK hangs the code's subsegments
 * under a facade of the function's segment and sends each subsegment of the facade whole, in one
 * UDP datagram of at most 64 KB, which it never splits: a larger one is lost with everything in it.
 *
 * <p>The SDK's own streaming does not prevent that under parallel work: it only tries each lock, so
 * subtrees that had ended while another thread held a lock stayed in the top subsegment; and, as it
 * lowers its count of the facade's subsegments only once per streamed subtree, it streamed the
 * ended top subsegment too, which the SDK's Lambda context then sent again. So nothing is streamed
 * under a facade on the way ({@link #STREAMING}); instead, once all work beneath a top subsegment
 * has joined and before it ends, {@link #sendEndedChildren} sends each of its ended subtrees in a
 * document of its own, taking each lock (nothing contends for them then), and the SDK sends the top
 * subsegment itself, once, when it ends.
 *
 * <p>Holding every ended subtree until then holds a whole outage in memory: a stand-in of 4,000
 * decisions whose two calls each failed with a 120-frame exception and a cause came to about 170 MB
 * (the SDK keeps each Throwable whole until it writes it), sent in one burst at the end (3,801 of
 * 4,001 datagrams reached a receiver). With {@link #SEND_ON_END} registered, each subsegment
 * directly beneath a top subsegment is sent by the thread that ends it, as it ends, and taken out
 * of the top subsegment, which then holds only the work in flight.
 */
public final class XRayLambdaDocuments {

  /**
   * A document larger than this is sent as its ended subtrees first and then the rest, so that each
   * datagram (the document and the daemon protocol's header line) stays within 64 KB.
   */
  public static final int MAX_DOCUMENT_BYTES = 60_000;

  /**
   * The SDK's default streaming (above 100 subsegments), except under a Lambda's facade segment,
   * where nothing is streamed until {@link #sendEndedChildren}.
   */
  public static final StreamingStrategy STREAMING =
      new StreamingStrategy() {
        private final DefaultStreamingStrategy sdk = new DefaultStreamingStrategy();

        @Override
        public boolean requiresStreaming(Segment segment) {
          return !(segment instanceof FacadeSegment) && sdk.requiresStreaming(segment);
        }

        @Override
        public void streamSome(Entity entity, Emitter emitter) {
          sdk.streamSome(entity, emitter);
        }
      };

  /**
   * Sends each subsegment directly beneath a top subsegment of a Lambda's facade segment (a
   * decision, an action, a call of the cycle's own) in a document of its own as soon as it has
   * ended with everything beneath it, on the thread that ended it, and takes it out of the top
   * subsegment ({@link #sendIfEnded}). Register it with {@link AWSXRayRecorder#addSegmentListener};
   * {@link #sendEndedChildren} then leaves a subsegment still running when the top subsegment ends
   * to this listener, on the thread that ends it.
   */
  public static final SegmentListener SEND_ON_END =
      new SegmentListener() {
        @Override
        public void afterEndSubsegment(Subsegment subsegment) {
          sendIfEnded(subsegment);
        }
      };

  /**
   * The subsegments taken out of their top subsegment still running when it ended, each to be sent
   * by the thread that ends it (a few at most: calls that outlived their cycle).
   */
  private static final Set<Subsegment> DETACHED = ConcurrentHashMap.newKeySet();

  private XRayLambdaDocuments() {}

  /**
   * Sends {@code subsegment}, just ended on this thread, in a document of its own and takes it out
   * of its parent, if its parent is a top subsegment of a facade segment and everything beneath it
   * has ended; the top subsegment's lock decides between this thread and {@link
   * #sendEndedChildren}, so that it is sent once. {@link #SEND_ON_END} calls it for what ends by
   * {@link AWSXRayRecorder#endSubsegment()}; an AWS SDK call's subsegment, ended by {@link
   * AWSXRayRecorder#endSubsegment(Subsegment)}, which tells no listener, needs it called after.
   */
  public static void sendIfEnded(Subsegment subsegment) {
    Segment segment = subsegment == null ? null : subsegment.getParentSegment();
    Entity parent = subsegment.getParent();
    if (!(segment instanceof FacadeSegment)
        || !segment.isSampled()
        || !segment.isRecording()
        || parent == null
        || parent == segment
        || !(parent.getParent() instanceof FacadeSegment)) {
      return;
    }
    ReentrantLock lock = parent.getSubsegmentsLock();
    boolean ours;
    lock.lock();
    try {
      if (parent.getSubsegmentsCopy().contains(subsegment)) {
        ours = ended(subsegment);
        if (ours) {
          parent.removeSubsegment(subsegment);
        }
      } else {
        // Taken out still running when the top subsegment ended, or sent by it meanwhile.
        ours = DETACHED.remove(subsegment);
      }
    } finally {
      lock.unlock();
    }
    if (!ours) {
      return;
    }
    // Out of the top subsegment's lock: the other threads go on beginning and ending theirs.
    send(subsegment, subsegment.getCreator().getEmitter());
    subsegment.setEmitted(true);
  }

  /**
   * Sends every ended subtree beneath {@code top} (each subsegment that has ended with all beneath
   * it) in a document of its own that names its parent, and takes it out of {@code top}, whose own
   * document then holds only what has not ended. Call it after every thread working beneath {@code
   * top} has finished and before ending {@code top}. Nothing is sent for an unsampled trace.
   *
   * <p>With {@link #SEND_ON_END} registered, a subsegment directly beneath {@code top} still
   * running then (a call that outlives the work that started it) is taken out of {@code top} too,
   * it and everything beneath it: {@code top}'s document, sent once, never holds it in progress,
   * and the thread that ends it sends it, naming {@code top} as its parent.
   */
  public static void sendEndedChildren(AWSXRayRecorder recorder, Entity top) {
    Segment segment = top == null ? null : top.getParentSegment();
    if (segment == null || !segment.isSampled() || !segment.isRecording()) {
      return;
    }
    boolean sentOnEnd = recorder.getSegmentListeners().contains(SEND_ON_END);
    ReentrantLock lock = top.getSubsegmentsLock();
    lock.lock();
    try {
      for (Subsegment child : top.getSubsegmentsCopy()) {
        if (sentOnEnd && !ended(child)) {
          top.removeSubsegment(child);
          DETACHED.add(child);
        }
      }
    } finally {
      lock.unlock();
    }
    sendEndedChildrenOf(top, recorder.getEmitter());
  }

  /** Sends {@code ended}, after its ended subtrees if it is too large for one document. */
  private static void send(Subsegment ended, Emitter emitter) {
    if (ended.streamSerialize().getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
      sendEndedChildrenOf(ended, emitter);
    }
    emitter.sendSubsegment(ended);
  }

  private static void sendEndedChildrenOf(Entity parent, Emitter emitter) {
    ReentrantLock lock = parent.getSubsegmentsLock();
    lock.lock();
    try {
      for (Subsegment child : parent.getSubsegmentsCopy()) {
        if (ended(child)) {
          parent.removeSubsegment(child);
          send(child, emitter);
          child.setEmitted(true);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code entity} and everything beneath it has ended. */
  private static boolean ended(Entity entity) {
    ReentrantLock lock = entity.getSubsegmentsLock();
    lock.lock();
    try {
      if (entity.isInProgress()) {
        return false;
      }
      for (Subsegment child : entity.getSubsegmentsCopy()) {
        if (!ended(child)) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
