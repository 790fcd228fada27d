package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code scale-in-after-long-pauses}: a queue that drained after a short batch, when most of its
 * recent pauses outlasted the scale-to-zero delay, stops its last task at once instead of billing
 * it for the delay. Everything else about a drained queue still holds (nothing visible, in flight
 * or delayed, the last stored sample asked for no task, nothing in flight for a minute).
 */
class ScaleInAfterLongPausesTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);

  private static final QueueSnapshot BUSY = new QueueSnapshot(3, 0, 0);

  /** backlog-and-load at its defaults, scale-in-when-drained off, the key on. */
  private static final ScalingParameters LONG_PAUSES =
      ScaleInBetweenBurstsTest.loadTermDefaults(0, 0)
          .withScaleInBetweenBursts(false)
          .withScaleInAfterLongPauses(true);

  /**
   * A batch 90 s ago, worked off: the samples since asked for no task and saw nothing in flight.
   */
  private static final List<Recommendation> WORKED_OFF =
      List.of(sample(90, 1, 0), sample(75, 0, 0), sample(60, 0, 0), sample(15, 0, 0));

  @Test
  void afterThreeLongPausesADrainedQueueStopsItsLastTaskAtOnce() {
    Decision decision =
        ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), history(400, 600, 900), NOW);

    assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isZero();
    assertThat(decision.reason()).isEqualTo(Reason.LONG_PAUSES);
  }

  @Test
  void aFleetIsReleasedPastTheWindowToo() {
    List<Recommendation> bigBatch =
        List.of(sample(120, 6, 0), sample(75, 0, 0), sample(60, 0, 0), sample(15, 0, 0));
    ScalingHistory history =
        new ScalingHistory(bigBatch, Optional.empty(), List.of(), pauses(400, 600, 900));

    Decision decision = ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(6), history, NOW);

    assertThat(decision.desired()).isZero();
    assertThat(decision.reason()).isEqualTo(Reason.LONG_PAUSES);
  }

  @Test
  void oneLongPauseAmongShortOnesKeepsTheTaskForTheDelay() {
    Decision decision =
        ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), history(60, 90, 4_000), NOW);

    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void fewerThanThreeKnownPausesKeepTheTaskForTheDelay() {
    Decision decision = ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), history(4_000), NOW);

    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void withTheKeyOffTheTaskWaitsForTheDelay() {
    Decision decision =
        ScalingPolicy.decide(
            LONG_PAUSES.withScaleInAfterLongPauses(false),
            EMPTY,
            fleet(1),
            history(400, 600, 900),
            NOW);

    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void pausesAreJudgedAgainstTheTargetsOwnDelay() {
    ScalingParameters hourDelay = LONG_PAUSES.withScaleToZeroDelay(Duration.ofHours(1));

    Decision decision =
        ScalingPolicy.decide(hourDelay, EMPTY, fleet(1), history(400, 600, 900), NOW);

    assertThat(decision.desired()).isEqualTo(1);
  }

  /**
   * backlog-per-task counting neither in-flight nor delayed messages, so that its formula asks for
   * no task while they are there: only the drained conditions keep the task.
   */
  private static final ScalingParameters NOT_COUNTING =
      new ScalingParameters(
              0, 20, 100, 1, false, false, Duration.ZERO, Duration.ofSeconds(210), 0, 0, 0)
          .withScaleToZeroDelay(Duration.ofSeconds(300))
          .withScaleInAfterLongPauses(true);

  @Test
  void aMessageInFlightOrDelayedNowKeepsTheTaskEvenWhenTheFormulaIgnoresIt() {
    for (QueueSnapshot notDrained :
        List.of(new QueueSnapshot(0, 1, 0), new QueueSnapshot(0, 0, 1))) {
      Decision decision =
          ScalingPolicy.decide(NOT_COUNTING, notDrained, fleet(1), history(400, 600, 900), NOW);

      assertThat(decision.recommended()).isZero();
      assertThat(decision.desired()).as("%s", notDrained).isEqualTo(1);
    }
    assertThat(
            ScalingPolicy.decide(NOT_COUNTING, EMPTY, fleet(1), history(400, 600, 900), NOW)
                .desired())
        .isZero();
  }

  @Test
  void aMessageInFlightWithinTheLastMinuteKeepsTheTask() {
    ScalingHistory busyLately =
        new ScalingHistory(
            List.of(sample(90, 1, 0), sample(45, 1, 4), sample(15, 0, 0)),
            Optional.empty(),
            List.of(),
            pauses(400, 600, 900));

    Decision decision = ScalingPolicy.decide(NOT_COUNTING, EMPTY, fleet(1), busyLately, NOW);

    assertThat(decision.recommended()).isZero();
    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void theFirstEmptyReadAfterASampleThatAskedForATaskKeepsIt() {
    // The last stored sample asked for a task: the batch may still be waiting for it.
    ScalingHistory justAsked =
        new ScalingHistory(
            List.of(sample(90, 0, 0), sample(75, 0, 0), sample(15, 1, 0)),
            Optional.empty(),
            List.of(),
            pauses(400, 600, 900));

    Decision decision = ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), justAsked, NOW);

    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void anIdleCheckOrAFollowUpUnderTheLoadTermNeverScalesIn() {
    for (Sample sample : List.of(Sample.IDLE_CHECK, Sample.FOLLOW_UP)) {
      Decision decision =
          ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), history(400, 600, 900), NOW, sample);

      assertThat(decision.desired()).as("%s", sample).isEqualTo(1);
    }
  }

  @Test
  void minTasksAndTheScaleInStepStillHold() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(sample(120, 6, 0), sample(75, 2, 0), sample(60, 2, 0), sample(15, 2, 0)),
            Optional.empty(),
            List.of(),
            pauses(400, 600, 900));
    ScalingParameters floorOfTwo =
        ScaleInBetweenBurstsTest.loadTermDefaults(2, 0)
            .withScaleInBetweenBursts(false)
            .withScaleInAfterLongPauses(true);

    assertThat(ScalingPolicy.decide(floorOfTwo, EMPTY, fleet(6), history, NOW).desired())
        .isEqualTo(2);

    ScalingParameters stepOfOne =
        ScaleInBetweenBurstsTest.loadTermDefaults(0, 1)
            .withScaleInBetweenBursts(false)
            .withScaleInAfterLongPauses(true);
    Decision steppedAfterPauses =
        ScalingPolicy.decide(
            stepOfOne,
            EMPTY,
            fleet(6),
            new ScalingHistory(
                List.of(sample(120, 6, 0), sample(75, 0, 0), sample(60, 0, 0), sample(15, 0, 0)),
                Optional.empty(),
                List.of(),
                pauses(400, 600, 900)),
            NOW);
    assertThat(steppedAfterPauses.desired()).isEqualTo(5);
    assertThat(steppedAfterPauses.reason()).isEqualTo(Reason.STEP_LIMIT);
  }

  @Test
  void withScaleInWhenDrainedOnThePausesStillSkipTheDelay() {
    ScalingParameters drainedToo = LONG_PAUSES.withScaleInWhenDrained(true);

    Decision afterLongPauses =
        ScalingPolicy.decide(drainedToo, EMPTY, fleet(1), history(400, 600, 900), NOW);
    Decision afterShortPauses =
        ScalingPolicy.decide(drainedToo, EMPTY, fleet(1), history(60, 90, 120), NOW);

    assertThat(afterLongPauses.desired()).isZero();
    assertThat(afterLongPauses.reason()).isEqualTo(Reason.LONG_PAUSES);
    assertThat(afterShortPauses.desired()).isEqualTo(1);
  }

  @Test
  void aKeyTurnedOnAgainWaitsForThreeNewPauses() {
    // The key was on a month ago and saw three long pauses; then off for a month (a review found
    // the old pauses kept, and the first drained read after turning it on again released the task).
    ScalingHistory keptFromBefore = history(400, 600, 900);
    ScalingParameters off = LONG_PAUSES.withScaleInAfterLongPauses(false);
    ScalingHistory afterOff =
        keptFromBefore.withQueueSeen(NOW.minus(Duration.ofDays(10)), BUSY, off);
    ScalingHistory afterOn = afterOff.withQueueSeen(NOW.minusSeconds(90), BUSY, LONG_PAUSES);

    Decision decision = ScalingPolicy.decide(LONG_PAUSES, EMPTY, fleet(1), afterOn, NOW);

    assertThat(afterOff.pauses()).isEqualTo(Pauses.NONE);
    assertThat(decision.reason()).isNotEqualTo(Reason.LONG_PAUSES);
    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void withNoDelayToZeroPausesAreJudgedAgainstTheWindow() {
    // A review found three pauses of 31 s releasing a fleet inside its 210 s window once the delay
    // to zero was 0: every pause outlasted "the delay".
    ScalingParameters noDelay = LONG_PAUSES.withScaleToZeroDelay(Duration.ZERO);
    List<Recommendation> batchInWindow =
        List.of(sample(120, 6, 0), sample(75, 0, 0), sample(60, 0, 0), sample(15, 0, 0));
    ScalingHistory shortPauses =
        new ScalingHistory(batchInWindow, Optional.empty(), List.of(), pauses(31, 31, 31));
    ScalingHistory longPauses =
        new ScalingHistory(batchInWindow, Optional.empty(), List.of(), pauses(31, 400, 500));

    Decision afterShort = ScalingPolicy.decide(noDelay, EMPTY, fleet(6), shortPauses, NOW);
    Decision afterLong = ScalingPolicy.decide(noDelay, EMPTY, fleet(6), longPauses, NOW);

    assertThat(afterShort.desired()).isEqualTo(6);
    assertThat(afterShort.reason()).isEqualTo(Reason.STABILIZING);
    assertThat(afterLong.desired()).isZero();
    assertThat(afterLong.reason()).isEqualTo(Reason.LONG_PAUSES);
  }

  @Test
  void aWindowLongerThanTheDelayIsWhatPausesAreJudgedAgainst() {
    ScalingParameters longWindow =
        new ScalingParameters(
                0, 20, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(900), 0, 0, 10)
            .withScaleToZeroDelay(Duration.ofSeconds(60))
            .withLoad(new LoadTerm(10, 120))
            .withScaleInAfterLongPauses(true);

    Decision afterMinutePauses =
        ScalingPolicy.decide(longWindow, EMPTY, fleet(1), history(120, 120, 120), NOW);
    Decision afterLongPauses =
        ScalingPolicy.decide(longWindow, EMPTY, fleet(1), history(120, 1_000, 1_200), NOW);

    assertThat(afterMinutePauses.desired()).isEqualTo(1);
    assertThat(afterLongPauses.desired()).isZero();
  }

  private static ScalingHistory history(long... pauseSeconds) {
    return new ScalingHistory(WORKED_OFF, Optional.empty(), List.of(), pauses(pauseSeconds));
  }

  private static Pauses pauses(long... seconds) {
    return new Pauses(
        Optional.empty(), Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  private static ServiceSnapshot fleet(int tasks) {
    return new ServiceSnapshot(tasks, tasks, 0);
  }

  private static Recommendation sample(int secondsAgo, int tasks, long inFlight) {
    return new Recommendation(NOW.minusSeconds(secondsAgo), tasks, OptionalLong.of(inFlight));
  }
}
