package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.Pauses;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A quiet spell opened by a writer whose clock is fast: the cycle reads the state through
 * StoredState#seenAt, which moves a quietSince ahead of now to now - 1 ms, so a busy read then ends
 * a "pause" of 1 ms. A review found it recorded, pushing a real pause out of the three.
 */
class SkewedQuietSinceTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void aQuietSpellOpenedByAFastClockMakesNoPauseInTheCycle() {
    List<Duration> recent = List.of(Duration.ofSeconds(400), Duration.ofSeconds(500));
    StoredState fromAFastClock =
        new StoredState(
            4,
            new ScalingHistory(
                List.of(),
                Optional.empty(),
                List.of(),
                new Pauses(Optional.of(NOW.plusSeconds(5)), recent)),
            Optional.empty());
    ScalingParameters on =
        ScalingParameters.BACKLOG_PER_TASK_DEFAULTS.withScaleInAfterLongPauses(true);

    ScalingHistory afterBusyRead =
        fromAFastClock
            .seenAt(NOW, Duration.ofSeconds(60))
            .history()
            .withQueueSeen(NOW, new QueueSnapshot(3, 0, 0), on);

    assertThat(afterBusyRead.pauses().recent()).isEqualTo(recent);
  }
}
