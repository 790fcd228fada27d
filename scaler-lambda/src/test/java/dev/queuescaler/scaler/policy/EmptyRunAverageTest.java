package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The load term is documented as the mean in-flight count over the last 60 s (README: {@code load =
 * ceil(mean in-flight over the last 60 s / (task-concurrency x target-utilization-percent))}). A
 * service that still runs tasks on an empty queue (waiting out its stabilization window) is sampled
 * every 15 s, so its empty samples are part of that minute.
 */
class EmptyRunAverageTest {

  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aBurstAfterEmptySamplesIsAveragedWithTheEmptySamplesOfItsMinute() {
    ScalingHistory history = ScalingHistory.EMPTY.after(START, 4, OptionalLong.of(40), false, HOUR);
    // The queue empties: a run of empty samples every 15 s, the first a minute before the burst's.
    for (int seconds = 60; seconds <= 120; seconds += 15) {
      history = history.after(START.plusSeconds(seconds), 0, OptionalLong.of(0), false, HOUR);
    }
    Instant burst = START.plusSeconds(135);

    assertThat(history.averageInFlight(LoadTerm.STABLE_WINDOW, burst, 100))
        .as("samples at 90, 105 and 120 s saw nothing in flight, the one at 135 s 100")
        .isEqualTo(25.0);
  }
}
