package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The backlog-and-load formula: the load term, its stable window, and when it scales in. */
class BacklogAndLoadPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  /** 10 messages a task at 60 %: 6 in flight per task; stabilization 210 s; to zero after 300 s. */
  private static final ScalingParameters LOAD = load(60, 210, 0);

  /** The formula's defaults: 120 %, so the load term keeps tasks but never adds one. */
  private static final ScalingParameters ABOVE_FULL = load(120, 210, 10);

  /** Tasks of 10 messages, 0..20 of them, backlog-per-task 100, to zero after 300 s. */
  private static ScalingParameters load(
      int utilizationPercent, int stabilizationSeconds, int tolerancePercent) {
    return new ScalingParameters(
            0,
            20,
            100,
            1,
            true,
            false,
            Duration.ZERO,
            Duration.ofSeconds(stabilizationSeconds),
            0,
            0,
            tolerancePercent)
        .withScaleToZeroDelay(Duration.ofSeconds(300))
        .withLoad(new LoadTerm(10, utilizationPercent));
  }

  @Test
  void scalesOutOnTheMessagesInFlightWhereTheBacklogAloneWouldNot() {
    Decision decision =
        ScalingPolicy.decide(
            LOAD, new QueueSnapshot(0, 25, 0), fleet(2), ScalingHistory.EMPTY, NOW);

    assertThat(decision.recommended()).isEqualTo(5); // ceil(25 / 6); the backlog asks for 1
    assertThat(decision.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(decision.reason()).isEqualTo(Reason.LOAD);
  }

  @Test
  void averagesInFlightOverTheStableWindowSoOneNoisyReadAddsNoTask() {
    ScalingHistory calm = history(sample(45, 1, 5), sample(30, 1, 5), sample(15, 1, 5));

    Decision decision = ScalingPolicy.decide(LOAD, new QueueSnapshot(0, 9, 0), fleet(1), calm, NOW);

    // One read of 9 (1.5 tasks' worth) averages with three of 5 to 6: one task.
    assertThat(decision.recommended()).isEqualTo(1);
    assertThat(decision.action()).isEqualTo(Action.HOLD);
  }

  @Test
  void samplesOlderThanTheStableWindowNoLongerCount() {
    ScalingHistory old = history(sample(60, 1, 600));

    Decision decision = ScalingPolicy.decide(LOAD, new QueueSnapshot(0, 6, 0), fleet(1), old, NOW);

    assertThat(decision.recommended()).isEqualTo(1);
  }

  @Test
  void aFollowUpSampleHoldsWhereTheInvocationsFirstWouldScaleIn() {
    ScalingHistory drained = history(sample(240, 8, 48));
    QueueSnapshot empty = new QueueSnapshot(0, 6, 0);

    Decision first =
        ScalingPolicy.decide(LOAD, empty, fleet(8), drained, NOW, Sample.FIRST_OF_INVOCATION);
    Decision followUp = ScalingPolicy.decide(LOAD, empty, fleet(8), drained, NOW, Sample.FOLLOW_UP);

    assertThat(first.action()).isEqualTo(Action.SCALE_IN);
    assertThat(first.desired()).isEqualTo(1);
    assertThat(followUp.action()).isEqualTo(Action.HOLD);
    assertThat(followUp.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void aFollowUpSampleStillScalesOut() {
    Decision decision =
        ScalingPolicy.decide(
            LOAD,
            new QueueSnapshot(900, 0, 0),
            fleet(2),
            ScalingHistory.EMPTY,
            NOW,
            Sample.FOLLOW_UP);

    assertThat(decision.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(decision.desired()).isEqualTo(9);
  }

  @Test
  void oneTaskStaysUntilTheScaleToZeroDelayHasPassed() {
    ScalingHistory lastDemand = history(sample(250, 3, 12));
    QueueSnapshot idle = new QueueSnapshot(0, 0, 0);

    Decision early = ScalingPolicy.decide(LOAD, idle, fleet(3), lastDemand, NOW);
    Decision oneLeft = ScalingPolicy.decide(LOAD, idle, fleet(1), lastDemand, NOW);
    Decision late = ScalingPolicy.decide(LOAD, idle, fleet(1), lastDemand, NOW.plusSeconds(50));

    // Past the 210 s window but inside the 300 s delay: the fleet shrinks to the one task that
    // serves the next message (KEDA: the HPA's floor of one while the scaler is active, zero only
    // after the operator's cooldownPeriod), rather than holding all three for the delay.
    assertThat(early.action()).isEqualTo(Action.SCALE_IN);
    assertThat(early.desired()).isEqualTo(1);
    assertThat(early.reason()).isEqualTo(Reason.STABILIZING);
    assertThat(oneLeft.action()).isEqualTo(Action.HOLD);
    assertThat(late.action()).isEqualTo(Action.SCALE_IN);
    assertThat(late.desired()).isZero();
  }

  @Test
  void theBacklogPerTaskFormulaScalesInOnAnySampleAsDocumented() {
    ScalingParameters backlogPerTask =
        new ScalingParameters(
            0, 20, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(60), 0, 0, 0);

    Decision decision =
        ScalingPolicy.decide(
            backlogPerTask,
            new QueueSnapshot(0, 50, 0),
            fleet(8),
            ScalingHistory.EMPTY,
            NOW,
            Sample.FOLLOW_UP);

    assertThat(backlogPerTask.formula()).isEqualTo(ScalingFormula.BACKLOG_PER_TASK);
    assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isEqualTo(1);
  }

  @Test
  void aboveFullUtilizationASaturatedTaskIsNotJoinedByTheLoadTermButByTheBacklog() {
    // One task holds all 10 it can: the load asks for ceil(10 / 12) = 1, so a second task waits
    // for the queue that the overflow builds.
    Decision saturated = aboveFull(40, 10, 1);
    Decision queued = aboveFull(190, 10, 1);

    assertThat(saturated.action()).isEqualTo(Action.HOLD);
    assertThat(queued.desired()).isEqualTo(2);
    assertThat(queued.reason()).isEqualTo(Reason.BACKLOG);
  }

  @Test
  void aboveFullUtilizationTheLoadTermKeepsTheTasksTheLoadFillsAndReleasesTheRest() {
    // Two tasks holding 15: one task would be 150 % full, above 120 %, so both stay. Holding 11,
    // one task would be 110 % full: the second may go (the backlog asks for 1).
    Decision busy = aboveFull(0, 15, 2);
    Decision lighter = aboveFull(0, 11, 2);

    assertThat(busy.recommended()).isEqualTo(2);
    assertThat(busy.action()).isEqualTo(Action.HOLD);
    assertThat(lighter.recommended()).isEqualTo(1);
    assertThat(lighter.action()).isEqualTo(Action.SCALE_IN);
  }

  /** A first-sample decision at the formula's defaults with no history. */
  private static Decision aboveFull(long visible, long inFlight, int tasks) {
    return ScalingPolicy.decide(
        ABOVE_FULL,
        new QueueSnapshot(visible, inFlight, 0),
        fleet(tasks),
        ScalingHistory.EMPTY,
        NOW);
  }

  private static ServiceSnapshot fleet(int tasks) {
    return new ServiceSnapshot(tasks, tasks, 0);
  }

  private static Recommendation sample(int secondsAgo, int tasks, long inFlight) {
    return new Recommendation(NOW.minusSeconds(secondsAgo), tasks, OptionalLong.of(inFlight));
  }

  private static ScalingHistory history(Recommendation... samples) {
    return new ScalingHistory(List.of(samples), Optional.empty());
  }
}
