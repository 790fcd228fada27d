package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What {@link ScalingHistory#after} keeps, on the cases the properties generate rarely. */
class ScalingHistoryTest {

  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  /** Windows of 300 s (scale-in and to zero): the retention. */
  private static final ScalingParameters WINDOWS = ScalingParameters.BACKLOG_PER_TASK_DEFAULTS;

  @Test
  void aTargetWithoutRecommendationsCountsTheFleetItFindsAsAskedForAtFirstSight() {
    ScalingHistory found =
        ScalingHistory.EMPTY.withFleetAsFound(20, Optional.empty(), WINDOWS, START);

    assertThat(found.highestRecommendationWithin(Duration.ofSeconds(210), START.plusSeconds(200)))
        .contains(20);
    assertThat(found.highestRecommendationWithin(Duration.ofSeconds(210), START.plusSeconds(211)))
        .isEmpty();
    assertThat(found.averageInFlight(Duration.ofMinutes(1), START.plusSeconds(15), 6))
        .as("no in-flight count: the load term's mean is the samples' alone")
        .isEqualTo(6.0);
  }

  @Test
  void aHistoryOlderThanItsRetentionExplainsNoFleetAndGetsTheOneFound() {
    ScalingHistory old =
        ScalingHistory.EMPTY.after(START, 0, OptionalLong.of(0), false, Duration.ofMinutes(5));
    Instant back = START.plus(Duration.ofHours(1));

    ScalingHistory found = old.withFleetAsFound(20, Optional.of(30), WINDOWS, back);

    assertThat(found.highestRecommendationWithin(Duration.ofSeconds(210), back)).contains(20);
    assertThat(found.recommendations()).hasSize(2);
  }

  @Test
  void theCountTheScalerLastSetIsItsOwnHoweverOldItsHistory() {
    ScalingHistory old =
        ScalingHistory.EMPTY.after(START, 0, OptionalLong.of(0), false, Duration.ofMinutes(5));

    assertThat(old.withFleetAsFound(1, Optional.of(1), WINDOWS, START.plus(Duration.ofHours(1))))
        .as("one task the delay to zero keeps: the scaler set it")
        .isEqualTo(old);
  }

  @Test
  void aHistoryThatExplainsTheFleetOrAFleetAtMinTasksIsLeftAsItIs() {
    ScalingHistory recent =
        ScalingHistory.EMPTY.after(START, 0, OptionalLong.of(0), false, Duration.ofMinutes(5));
    ScalingParameters warm =
        new ScalingParameters(
            1, 10, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0);

    assertThat(recent.withFleetAsFound(20, Optional.empty(), WINDOWS, START.plusSeconds(60)))
        .isEqualTo(recent);
    assertThat(ScalingHistory.EMPTY.withFleetAsFound(1, Optional.empty(), warm, START))
        .as("at min-tasks: the recommendation is at least the fleet")
        .isEqualTo(ScalingHistory.EMPTY);
    assertThat(ScalingHistory.EMPTY.withFleetAsFound(0, Optional.empty(), WINDOWS, START))
        .isEqualTo(ScalingHistory.EMPTY);
  }

  @Test
  void aHistoryThatFitsTheBoundIsKeptAsItIs() {
    ScalingHistory history = ScalingHistory.EMPTY;
    for (int i = 0; i < ScalingHistory.MAX_ENTRIES; i++) {
      history = history.after(START.plusSeconds(5L * i), i % 3, OptionalLong.of(i), false, HOUR);
    }

    assertThat(history.recommendations()).hasSize(ScalingHistory.MAX_ENTRIES);
    assertThat(history.recommendations()).allSatisfy(r -> assertThat(r.inFlight()).isPresent());
  }

  @Test
  void pastTheBoundTheLoadWindowsSamplesKeepTheirInFlightCountsAndTheirAverage() {
    ScalingHistory history = ScalingHistory.EMPTY;
    Instant now = START;
    for (int i = 0; i < 3 * 240; i++) { // three hours of 15 s samples
      now = START.plusSeconds(15L * i);
      history = history.after(now, i % 9, OptionalLong.of(100L * (i % 7)), false, HOUR);
    }
    Instant next = now.plusSeconds(15);

    assertThat(history.recommendations()).hasSizeLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    // The three samples 15, 30 and 45 s before the next one, and what that one sees.
    double expected = (100.0 * (719 % 7) + 100 * (718 % 7) + 100 * (717 % 7) + 50) / 4;
    assertThat(history.averageInFlight(LoadTerm.STABLE_WINDOW, next, 50)).isEqualTo(expected);
  }

  @Test
  void aFleetFallingThroughEveryCountForAnHourStillHoldsItsHighestForTheWholeWindow() {
    ScalingHistory history = ScalingHistory.EMPTY;
    Instant now = START;
    for (int i = 0; i < 240; i++) { // 200 tasks down to none, one fewer every 15 s
      now = START.plusSeconds(15L * i);
      history = history.after(now, Math.max(0, 200 - i), OptionalLong.of(0), false, HOUR);
    }

    assertThat(history.recommendations()).hasSizeLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    assertThat(history.highestRecommendationWithin(HOUR, now)).contains(200);
    // 200 was recommended 59 min 45 s ago; 30 minutes back the fleet was asked for 80.
    assertThat(history.highestRecommendationWithin(Duration.ofMinutes(30), now).orElseThrow())
        .isBetween(
            80,
            80 + (int) (ScalingHistory.sliceWidth(Duration.ofMinutes(30), HOUR).toSeconds() / 15));
  }

  @Test
  void pastTheBoundAQuietRunThatStartedBeforeTheLoadWindowStillCountsInItsAverage() {
    ScalingHistory history = ScalingHistory.EMPTY;
    Instant now = START;
    // A fleet stepping down, one count a sample: with the run's first entry and the burst, one
    // entry more than the bound, so the burst's sample compacts the history.
    for (int i = 0; i < ScalingHistory.MAX_ENTRIES - 1; i++) {
      now = START.plusSeconds(15L * i);
      history = history.after(now, 200 - i, OptionalLong.of(0), false, HOUR);
    }
    Instant quiet = now.plusSeconds(15);
    history = history.after(quiet, 0, OptionalLong.of(0), false, HOUR);
    for (int i = 1; i < 6; i++) { // the run at the floor, stored by its first entry
      history = history.after(quiet.plusSeconds(15L * i), 0, OptionalLong.of(0), false, HOUR);
    }
    Instant burst = quiet.plusSeconds(90);
    history = history.after(burst, 3, OptionalLong.of(30), true, HOUR);

    assertThat(history.recommendations()).hasSizeLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    // The minute before the next sample: the quiet samples 30 and 15 s before the burst, the
    // burst's, and what the next one sees. Dropping the run's first entry would leave (30 + 30) /
    // 2.
    Instant next = burst.plusSeconds(15);
    assertThat(history.averageInFlight(LoadTerm.STABLE_WINDOW, next, 30)).isEqualTo(15.0);
  }
}
