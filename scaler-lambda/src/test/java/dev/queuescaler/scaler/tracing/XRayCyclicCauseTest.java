package dev.queuescaler.scaler.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.LoopingCause;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A decision may fail with an exception whose causes form a loop ({@code a.initCause(b);
 * b.initCause(a)}, which the JDK allows). The X-Ray SDK follows {@code getCause()} with no check
 * for a loop and went round until the heap was gone; the scaler's tracing must describe each
 * exception of the loop once, mark where it closes, and let the failure through.
 *
 * <p>The loop is closed through a {@link LoopingCause} that fails the test once it has been asked
 * for its cause {@value LoopingCause#FOLLOWED_AT_MOST} times: a tracer that goes round the loop
 * ends the test with an assertion in milliseconds, not the test JVM with an OutOfMemoryError.
 */
class XRayCyclicCauseTest {

  @Test
  void aDecisionFailingWithALoopingCauseIsDescribedOnceAndTheCycleReachesTheDaemon()
      throws Exception {
    try (XRayDaemonListener daemon = new XRayDaemonListener()) {
      XRayTracing tracing =
          new XRayTracing(
              XRayTracing.recorder(daemon.address(), TraceRoot.OWN_TRACE), TraceRoot.OWN_TRACE);

      assertThatThrownBy(
              () ->
                  tracing.cycle(
                      () ->
                          tracing.decide(
                              () -> {
                                throw LoopingCause.of("decision failed");
                              })))
          .as("the decision's own failure, let through")
          .isInstanceOf(LoopingCause.class);

      JsonNode cycle =
          daemon.await(
              d -> XRayTracing.CLI_SEGMENT.equals(d.path("name").asText()), Duration.ofSeconds(5));
      assertLoopDescribedOnce(cycle.path("cause").path("exceptions"));
      JsonNode decide = null;
      for (JsonNode sub : cycle.path("subsegments")) {
        if (XRayTracing.DECIDE_SUBSEGMENT.equals(sub.path("name").asText())) {
          decide = sub;
        }
      }
      assertThat(decide).as("the decide subsegment in %s", cycle).isNotNull();
      assertLoopDescribedOnce(decide.path("cause").path("exceptions"));
    }
  }

  private static void assertLoopDescribedOnce(JsonNode exceptions) {
    assertThat(exceptions.size())
        .as("each exception of the loop once: %s", exceptions)
        .isEqualTo(2);
    assertThat(exceptions.get(0).path("type").asText()).isEqualTo(LoopingCause.class.getName());
    assertThat(exceptions.get(0).path("message").asText()).contains("decision failed");
    assertThat(exceptions.get(1).path("type").asText()).isEqualTo("java.lang.RuntimeException");
    assertThat(exceptions.get(1).path("message").asText())
        .contains("wrapped", "CIRCULAR REFERENCE");
  }
}
