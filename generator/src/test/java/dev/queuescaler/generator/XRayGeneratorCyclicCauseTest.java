package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch may fail with an exception whose causes form a loop ({@code a.initCause(b);
 * b.initCause(a)}, which the JDK allows). The X-Ray SDK follows {@code getCause()} with no check
 * for a loop and went round until the heap was gone; the generator's tracing must describe each
 * exception of the loop once, mark where it closes, and let the failure through.
 *
 * <p>The loop is closed through a {@link GuardedCause} that fails the test once it has been asked
 * for its cause {@value #FOLLOWED_AT_MOST} times: a tracer that goes round the loop ends the test
 * with an assertion in milliseconds, not the test JVM with an OutOfMemoryError.
 */
class XRayGeneratorCyclicCauseTest {

  private static final int FOLLOWED_AT_MOST = 1_000;

  static final class GuardedCause extends IllegalStateException {
    private final transient AtomicInteger asked = new AtomicInteger();

    GuardedCause(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable getCause() {
      if (asked.incrementAndGet() > FOLLOWED_AT_MOST) {
        throw new AssertionError(
            "the cause chain was followed " + FOLLOWED_AT_MOST + " times: round its loop");
      }
      return super.getCause();
    }
  }

  /** {@code batch failed} caused by {@code wrapped}, caused by {@code batch failed}. */
  private static GuardedCause loopingFailure() {
    GuardedCause failed = new GuardedCause("batch failed");
    RuntimeException wrapped = new RuntimeException("wrapped");
    failed.initCause(wrapped);
    wrapped.initCause(failed);
    return failed;
  }

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
                                throw loopingFailure();
                              })))
          .as("the batch's own failure, let through")
          .isInstanceOf(GuardedCause.class);

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
    assertThat(exceptions.get(0).path("type").asText()).isEqualTo(GuardedCause.class.getName());
    assertThat(exceptions.get(0).path("message").asText()).contains("batch failed");
    assertThat(exceptions.get(1).path("type").asText()).isEqualTo("java.lang.RuntimeException");
    assertThat(exceptions.get(1).path("message").asText())
        .contains("wrapped", "CIRCULAR REFERENCE");
  }
}
