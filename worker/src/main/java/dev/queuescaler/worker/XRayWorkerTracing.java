package dev.queuescaler.worker;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Namespace;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.SegmentImpl;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.SubsegmentImpl;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.entities.TraceID;
import com.amazonaws.xray.strategy.sampling.LocalizedSamplingStrategy;
import com.amazonaws.xray.strategy.sampling.SamplingRequest;
import dev.queuescaler.telemetry.XRayExceptions;
import dev.queuescaler.telemetry.XRayRecorders;
import java.util.Optional;

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
            XRayExceptions.addException(process, e);
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
