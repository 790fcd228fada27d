package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.tracing.ChosenTracer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The spans' flush runs after the cycle, so the cycle's deadline keeps its time back as well as
 * {@link Deadline#MARGIN}: a call that would end within the flush's last seconds does not start.
 */
class CycleDeadlineTest {

  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  private static final Duration CALL = Duration.ofSeconds(5);

  @Test
  void aCallStartsWhenItsWorstCaseTheMarginAndTheFlushFit() {
    long remaining = CALL.plus(Deadline.MARGIN).plus(ChosenTracer.FLUSH_TIMEOUT).toMillis();

    assertThat(ScalerHandler.cycleDeadline(NOW, remaining).allows(NOW, 1, CALL)).isTrue();
  }

  @Test
  void aCallThatWouldEatIntoTheFlushDoesNotStart() {
    long remaining = CALL.plus(Deadline.MARGIN).plus(ChosenTracer.FLUSH_TIMEOUT).toMillis() - 1;

    assertThat(ScalerHandler.cycleDeadline(NOW, remaining).allows(NOW, 1, CALL)).isFalse();
  }
}
