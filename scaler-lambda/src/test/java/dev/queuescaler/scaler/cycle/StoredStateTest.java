package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.Pauses;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A stored state as a cycle whose clock is behind its writer's must read it. */
class StoredStateTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void burstStartsAheadOfThisClockAreReadAsJustBeforeNowAndCountAsSkew() {
    // A laptop ten minutes fast stored the last two starts.
    StoredState fromAFastClock =
        new StoredState(
            4,
            new ScalingHistory(
                List.of(),
                Optional.empty(),
                List.of(NOW.minusSeconds(300), NOW.plusSeconds(180), NOW.plusSeconds(600))),
            Optional.empty());

    StoredState seen = fromAFastClock.seenAt(NOW, Duration.ofSeconds(60));

    assertThat(fromAFastClock.aheadOf(NOW)).isEqualTo(Duration.ofSeconds(600));
    assertThat(seen.history().burstStarts())
        .containsExactly(NOW.minusSeconds(300), NOW.minusMillis(1));
  }

  @Test
  void aQuietSpellStartAheadOfThisClockIsReadAsJustBeforeNowAndCountsAsSkew() {
    // A laptop ten minutes fast stored the start of the queue's quiet spell: as every time ahead of
    // this clock, it is read as just before now, so the next pause is never longer than it was.
    List<Duration> recent = List.of(Duration.ofSeconds(400), Duration.ofSeconds(500));
    StoredState fromAFastClock =
        new StoredState(
            4,
            new ScalingHistory(
                List.of(),
                Optional.empty(),
                List.of(),
                new Pauses(Optional.of(NOW.plusSeconds(600)), recent)),
            Optional.empty());

    StoredState seen = fromAFastClock.seenAt(NOW, Duration.ofSeconds(60));

    assertThat(fromAFastClock.aheadOf(NOW)).isEqualTo(Duration.ofSeconds(600));
    assertThat(seen.history().pauses())
        .isEqualTo(new Pauses(Optional.of(NOW.minusMillis(1)), recent));
  }

  @Test
  void anUnconfirmedActionFromAFastClockIsReadAtThisClockAndStaysUnconfirmed() {
    // Its times are clamped as any other's; what announces it if it lands late is kept.
    LastAction unconfirmed =
        new LastAction(5, NOW.plusSeconds(600), NOW.plusSeconds(610))
            .unconfirmedFrom(2, Reason.BACKLOG);
    StoredState fromAFastClock = new StoredState(4, ScalingHistory.EMPTY, Optional.of(unconfirmed));

    LastAction seen = fromAFastClock.seenAt(NOW, Duration.ofSeconds(60)).lastAction().orElseThrow();

    assertThat(seen.at()).isEqualTo(NOW.minusMillis(1));
    assertThat(seen.settledBy()).isEqualTo(NOW.plusSeconds(60));
    assertThat(seen.unconfirmed()).isEqualTo(unconfirmed.unconfirmed());
  }
}
