package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import org.junit.jupiter.api.Test;

class XRayRecordersTest {

  /** The property the X-Ray SDK's builder reads, as it reads AWS_XRAY_CONTEXT_MISSING. */
  private static final String CONTEXT_MISSING_PROPERTY =
      "com.amazonaws.xray.strategy.contextMissingStrategy";

  /**
   * A traced AWS call outside a segment (a pool thread the trace was not carried to, an event
   * written outside any span) must still be made: with {@code RUNTIME_ERROR} in the environment the
   * SDK's builder would otherwise make the recorder throw {@code SegmentNotFoundException} from the
   * call's interceptor.
   */
  @Test
  void aMissingContextIsNeverThrownWhateverAwsXrayContextMissingSays() {
    String before = System.getProperty(CONTEXT_MISSING_PROPERTY);
    System.setProperty(CONTEXT_MISSING_PROPERTY, "RUNTIME_ERROR");
    AWSXRayRecorder recorder;
    try {
      recorder = XRayRecorders.sendingTo("127.0.0.1:2000", new AllSamplingStrategy());
    } finally {
      if (before == null) {
        System.clearProperty(CONTEXT_MISSING_PROPERTY);
      } else {
        System.setProperty(CONTEXT_MISSING_PROPERTY, before);
      }
    }

    assertThatCode(
            () -> {
              recorder.beginSubsegment("DynamoDb");
              recorder.endSubsegment();
            })
        .doesNotThrowAnyException();
  }
}
