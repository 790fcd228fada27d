package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.LoopingCause;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A batch may fail with an exception whose causes form a loop ({@code a.initCause(b);
 * b.initCause(a)}, which the JDK allows). The X-Ray SDK follows {@code getCause()} with no check
 * for a loop and went round until the heap was gone; the generator's tracing must describe each
 * exception of the loop once, mark where it closes, and let the failure through.
 *
 * <p>The loop is closed through a {@link LoopingCause} that fails the test once it has been asked
 * for its cause {@value LoopingCause#FOLLOWED_AT_MOST} times: a tracer that goes round the loop
 * ends the test with an assertion in milliseconds, not the test JVM with an OutOfMemoryError.
 */
class XRayGeneratorCyclicCauseTest {

  @Test
  void aBatchFailingWithALoopingCauseIsDescribedOnceAndTheRunReachesTheDaemon() throws Exception {
    try (XRayDaemonListener daemon = new XRayDaemonListener()) {
      XRayGeneratorTracing tracing =
          new XRayGeneratorTracing(XRayGeneratorTracing.recorder(daemon.address()));

      assertThatThrownBy(
              () ->
                  tracing.inSegment(
                      () ->
                          tracing.inBatch(
                              header -> {
                                throw LoopingCause.of("batch failed");
                              })))
          .as("the batch's own failure, let through")
          .isInstanceOf(LoopingCause.class);

      JsonNode run =
          daemon.await(
              d -> GeneratorTracing.CLI_SEGMENT.equals(d.path("name").asText()),
              Duration.ofSeconds(5));
      assertLoopDescribedOnce(run.path("cause").path("exceptions"));
      JsonNode batch = null;
      for (JsonNode sub : run.path("subsegments")) {
        if ("send-batch".equals(sub.path("name").asText())) {
          batch = sub;
        }
      }
      assertThat(batch).as("the send-batch subsegment in %s", run).isNotNull();
      assertLoopDescribedOnce(batch.path("cause").path("exceptions"));
    }
  }

  private static void assertLoopDescribedOnce(JsonNode exceptions) {
    assertThat(exceptions.size())
        .as("each exception of the loop once: %s", exceptions)
        .isEqualTo(2);
    assertThat(exceptions.get(0).path("type").asText()).isEqualTo(LoopingCause.class.getName());
    assertThat(exceptions.get(0).path("message").asText()).contains("batch failed");
    assertThat(exceptions.get(1).path("type").asText()).isEqualTo("java.lang.RuntimeException");
    assertThat(exceptions.get(1).path("message").asText())
        .contains("wrapped", "CIRCULAR REFERENCE");
  }
}
