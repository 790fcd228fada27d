package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code scale-in-between-bursts}: when the last four bursts came at a steady period, a queue read
 * empty from a minute after the last began until 75 s before the next is due does not wait out the
 * stabilization window; the last task still waits for the scale-to-zero delay.
 */
class ScaleInBetweenBurstsTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  /** backlog-and-load at its defaults (210 s window, 300 s to zero, tasks of 10 at 120 %). */
  private static final ScalingParameters BETWEEN_BURSTS = loadTermDefaults(0, 0);

  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);

  /**
   * A burst 90 s ago worked off by eight tasks, the queue empty for the last 45 s: the window (210
   * s) holds the eight, and a sample 75 s ago still saw 40 in flight, so the drained rule would
   * hold them too.
   */
  private static final List<Recommendation> LAST_BURST =
      List.of(
          sample(90, 8, 80),
          sample(75, 8, 40),
          sample(45, 1, 0),
          sample(30, 0, 0),
          sample(15, 0, 0));

  @Test
  void anEmptyQueueBetweenBurstsEverySevenMinutesReleasesTheFleetKeepingOneTask() {
    Decision decision =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1350, 930, 510, 90), NOW);

    assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
  }

  @Test
  void switchedOffTheWindowHoldsTheFleet() {
    Decision decision =
        ScalingPolicy.decide(
            BETWEEN_BURSTS.withScaleInBetweenBursts(false),
            EMPTY,
            fleet(8),
            startedAgo(1350, 930, 510, 90),
            NOW);

    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void aBurstThatBeganLessThanAMinuteAgoKeepsItsFleet() {
    Decision decision =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1319, 899, 479, 59), NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void within75SecondsOfTheNextBurstTheFleetIsKeptForIt() {
    // Every 420 s, the last 345 s ago: the next is due in 75 s.
    Decision dueIn75 =
        ScalingPolicy.decide(
            BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1605, 1185, 765, 345), NOW);
    Decision dueIn76 =
        ScalingPolicy.decide(
            BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1604, 1184, 764, 344), NOW);

    assertThat(dueIn75.desired()).isEqualTo(8);
    assertThat(dueIn76.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
  }

  @Test
  void aBurstOverdueReleasesNothingUntilItComes() {
    // Every 420 s, the last 500 s ago: the next was due 80 s ago and has not come.
    Decision decision =
        ScalingPolicy.decide(
            BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1760, 1340, 920, 500), NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void gapsThatDifferByMoreThanHalfAMinuteAreNoPeriod() {
    // The oldest gap 450 s or 451 s, the other two 420 s.
    Decision thirtyApart =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1380, 930, 510, 90), NOW);
    Decision thirtyOneApart =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(1381, 930, 510, 90), NOW);

    assertThat(thirtyApart.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
    assertThat(thirtyOneApart.desired()).isEqualTo(8);
  }

  @Test
  void burstsLessThanThreeMinutesApartAreNoPeriodToReleaseIn() {
    Decision decision =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(627, 448, 269, 90), NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void threeBurstsAreNoPeriodYet() {
    Decision decision =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), startedAgo(930, 510, 90), NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void aMessageVisibleInFlightOrDelayedHoldsTheWindow() {
    ScalingHistory periodic = startedAgo(1350, 930, 510, 90);
    for (QueueSnapshot notEmpty :
        List.of(
            new QueueSnapshot(1, 0, 0), new QueueSnapshot(0, 1, 0), new QueueSnapshot(0, 0, 1))) {
      Decision decision = ScalingPolicy.decide(BETWEEN_BURSTS, notEmpty, fleet(8), periodic, NOW);

      assertThat(decision.desired()).as("%s", notEmpty).isEqualTo(8);
    }
  }

  @Test
  void underTheLoadTermAFollowUpSampleReleasesTooButAnIdleCheckNever() {
    ScalingHistory periodic = startedAgo(1350, 930, 510, 90);

    Decision followUp =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), periodic, NOW, Sample.FOLLOW_UP);
    Decision idleCheck =
        ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), periodic, NOW, Sample.IDLE_CHECK);

    assertThat(followUp.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
    assertThat(followUp.desired()).isEqualTo(1);
    assertThat(idleCheck.desired()).isEqualTo(8);
  }

  @Test
  void minTasksAndTheScaleInStepStillApply() {
    ScalingParameters withMinimum = loadTermDefaults(3, 0);
    ScalingParameters stepped = loadTermDefaults(0, 2);
    ScalingHistory periodic = startedAgo(1350, 930, 510, 90);

    Decision atMinimum = ScalingPolicy.decide(withMinimum, EMPTY, fleet(8), periodic, NOW);
    Decision oneStep = ScalingPolicy.decide(stepped, EMPTY, fleet(8), periodic, NOW);

    assertThat(atMinimum.desired()).isEqualTo(3);
    assertThat(atMinimum.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
    assertThat(oneStep.desired()).isEqualTo(6);
    assertThat(oneStep.reason()).isEqualTo(Reason.STEP_LIMIT);
  }

  @Test
  void messagesInFlightWithinTheLastMinuteKeepTheTasksTheLoadTermAsksFor() {
    // Nothing in flight now, but 60 in flight 30 s ago: the load term's minute asks for tasks.
    ScalingHistory busyLately =
        new ScalingHistory(
            List.of(sample(90, 8, 80), sample(45, 8, 60), sample(30, 6, 60), sample(15, 0, 0)),
            Optional.empty(),
            starts(1350, 930, 510, 90));

    Decision decision = ScalingPolicy.decide(BETWEEN_BURSTS, EMPTY, fleet(8), busyLately, NOW);

    assertThat(decision.recommended()).isPositive();
    assertThat(decision.desired()).isEqualTo(decision.recommended()).isLessThan(8);
    assertThat(decision.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
  }

  private static ScalingHistory startedAgo(int... secondsAgo) {
    return new ScalingHistory(LAST_BURST, Optional.empty(), starts(secondsAgo));
  }

  /**
   * backlog-and-load at its defaults (210 s window, 300 s to zero, tasks of 10 at 120 %, 10 %
   * tolerance) with the key on, at {@code minTasks} and {@code maxScaleInStep}.
   */
  static ScalingParameters loadTermDefaults(int minTasks, int maxScaleInStep) {
    return new ScalingParameters(
            minTasks,
            20,
            100,
            1,
            true,
            false,
            Duration.ZERO,
            Duration.ofSeconds(210),
            0,
            maxScaleInStep,
            10)
        .withScaleToZeroDelay(Duration.ofSeconds(300))
        .withLoad(new LoadTerm(10, 120))
        .withScaleInBetweenBursts(true);
  }

  private static List<Instant> starts(int... secondsAgo) {
    return java.util.Arrays.stream(secondsAgo).mapToObj(NOW::minusSeconds).toList();
  }

  private static ServiceSnapshot fleet(int tasks) {
    return new ServiceSnapshot(tasks, tasks, 0);
  }

  private static Recommendation sample(int secondsAgo, int tasks, long inFlight) {
    return new Recommendation(NOW.minusSeconds(secondsAgo), tasks, OptionalLong.of(inFlight));
  }
}
