package dev.queuescaler.telemetry;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.FacadeSegment;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.DefaultStreamingStrategy;
import com.amazonaws.xray.strategy.StreamingStrategy;
import java.nio.charset.StandardCharsets;
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

  private XRayLambdaDocuments() {}

  /**
   * Sends every ended subtree beneath {@code top} (each subsegment that has ended with all beneath
   * it) in a document of its own that names its parent, and takes it out of {@code top}, whose own
   * document then holds only what has not ended. Call it after every thread working beneath {@code
   * top} has finished and before ending {@code top}. Nothing is sent for an unsampled trace.
   */
  public static void sendEndedChildren(AWSXRayRecorder recorder, Entity top) {
    Segment segment = top == null ? null : top.getParentSegment();
    if (segment == null || !segment.isSampled() || !segment.isRecording()) {
      return;
    }
    sendEndedChildrenOf(top, recorder.getEmitter());
  }

  private static void sendEndedChildrenOf(Entity parent, Emitter emitter) {
    ReentrantLock lock = parent.getSubsegmentsLock();
    lock.lock();
    try {
      for (Subsegment child : parent.getSubsegmentsCopy()) {
        if (ended(child)) {
          if (child.streamSerialize().getBytes(StandardCharsets.UTF_8).length
              > MAX_DOCUMENT_BYTES) {
            sendEndedChildrenOf(child, emitter);
          }
          emitter.sendSubsegment(child);
          child.setEmitted(true);
          parent.removeSubsegment(child);
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
