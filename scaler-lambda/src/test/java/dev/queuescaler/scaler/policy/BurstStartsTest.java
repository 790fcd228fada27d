package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The burst starts the history keeps for {@link PeriodicBursts}: a scale-out two minutes or more
 * after the one before starts a burst; the newest three are kept.
 */
class BurstStartsTest {

  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private static final Duration RETENTION = Duration.ofSeconds(300);

  @Test
  void theFirstScaleOutStartsABurst() {
    assertThat(scaledOutAt(ScalingHistory.EMPTY, 0).burstStarts()).containsExactly(T0);
  }

  @Test
  void theScaleOutsOfOneBurstCountOnce() {
    ScalingHistory history = ScalingHistory.EMPTY;
    for (int second : new int[] {0, 15, 30, 90, 209}) {
      history = scaledOutAt(history, second);
    }

    // 209 s is 119 s after the scale-out at 90 s: still the same burst.
    assertThat(history.burstStarts()).containsExactly(T0);
  }

  @Test
  void aScaleOutTwoMinutesAfterTheLastStartsTheNextBurst() {
    ScalingHistory history = scaledOutAt(scaledOutAt(ScalingHistory.EMPTY, 0), 120);

    assertThat(history.burstStarts()).containsExactly(T0, T0.plusSeconds(120));
  }

  @Test
  void theNewestFourAreKept() {
    ScalingHistory history = ScalingHistory.EMPTY;
    for (int second : new int[] {0, 420, 840, 1260, 1680}) {
      history = scaledOutAt(history, second);
    }

    assertThat(history.burstStarts())
        .containsExactly(at(420, 840, 1260, 1680).toArray(Instant[]::new));
  }

  @Test
  void samplesThatDoNotScaleOutKeepTheStarts() {
    ScalingHistory started = scaledOutAt(ScalingHistory.EMPTY, 0);

    ScalingHistory held =
        started
            .after(T0.plusSeconds(15), 4, OptionalLong.of(30), false, RETENTION, 0)
            .after(T0.plusSeconds(600), 0, OptionalLong.of(0), false, RETENTION, 0)
            .after(T0.plusSeconds(615), 0, OptionalLong.of(0), false, RETENTION, 0);

    assertThat(held.burstStarts()).containsExactly(T0);
  }

  @Test
  void undoingAFailedScaleOutUndoesTheBurstItStarted() {
    ScalingHistory before = scaledOutAt(ScalingHistory.EMPTY, 0);
    ScalingHistory failed = scaledOutAt(before, 420);

    ScalingHistory undone = failed.withLastScaleOutOf(before);

    assertThat(undone.burstStarts()).containsExactly(T0);
    assertThat(undone.lastScaleOut()).contains(T0);
  }

  @Test
  void aStoredStartLaterThanNowIsReplacedNotKeptAhead() {
    // A writer whose clock ran ahead left a start in this cycle's future.
    ScalingHistory skewed =
        new ScalingHistory(List.of(), java.util.Optional.empty(), List.of(T0.plusSeconds(600)));

    assertThat(scaledOutAt(skewed, 0).burstStarts()).containsExactly(T0);
  }

  @Test
  void aPeriodIsThreeGapsWithinHalfAMinuteOfEachOtherTheLastAtLeastThreeMinutes() {
    assertThat(PeriodicBursts.nextBurst(at(0, 420, 840, 1260))).contains(T0.plusSeconds(1680));
    // Gaps 450, 420, 440: within 30 s; the next is due one last gap after the last.
    assertThat(PeriodicBursts.nextBurst(at(0, 450, 870, 1310))).contains(T0.plusSeconds(1750));
    assertThat(PeriodicBursts.nextBurst(at(0, 451, 871, 1311))).isEmpty();
    assertThat(PeriodicBursts.nextBurst(at(0, 420, 871, 1291))).isEmpty();
    assertThat(PeriodicBursts.nextBurst(at(0, 180, 360, 540))).contains(T0.plusSeconds(720));
    assertThat(PeriodicBursts.nextBurst(at(0, 180, 360, 539))).isEmpty();
    assertThat(PeriodicBursts.nextBurst(at(0, 420, 840))).isEmpty();
  }

  private static List<Instant> at(int... seconds) {
    return java.util.Arrays.stream(seconds).mapToObj(T0::plusSeconds).toList();
  }

  private static ScalingHistory scaledOutAt(ScalingHistory history, int second) {
    return history.after(T0.plusSeconds(second), 5, OptionalLong.of(10), true, RETENTION, 0);
  }
}
