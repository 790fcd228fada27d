package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code scale-in-when-drained}: a queue read empty (nothing visible, in flight or delayed) after a
 * stored sample that asked for no task, with no message in flight for a minute, does not wait out
 * the stabilization window, which exists to ride out a busy queue's noise; the last task still
 * waits for the scale-to-zero delay.
 */
class DrainedScaleInTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  /** backlog-and-load at its defaults: 210 s window, 300 s to zero, tasks of 10 at 120 %. */
  private static final ScalingParameters DRAINING =
      new ScalingParameters(
              0, 20, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(210), 0, 0, 10)
          .withScaleToZeroDelay(Duration.ofSeconds(300))
          .withLoad(new LoadTerm(10, 120))
          .withScaleInWhenDrained(true);

  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);

  /** A burst's eight tasks 150 s ago, then nothing to do from 75 s ago. */
  private static final ScalingHistory BURST_THEN_QUIET =
      history(sample(150, 8, 60), sample(120, 8, 30), sample(75, 0, 0));

  @Test
  void aFleetDrainedForAMinuteScalesInPastTheWindowKeepingOneTaskForTheDelay() {
    Decision decision = ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), BURST_THEN_QUIET, NOW);

    // The window (210 s) still holds the burst's 8; the queue has been empty for 75 s.
    assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.reason()).isEqualTo(Reason.DRAINED);
  }

  @Test
  void aDrainYoungerThanAMinuteWaitsOutTheWindow() {
    // backlog-per-task: no load term whose own minute would hold the fleet anyway.
    ScalingHistory busy50sAgo = history(sample(150, 8, 60), sample(50, 1, 2), sample(35, 0, 0));

    Decision decision =
        ScalingPolicy.decide(backlogPerTask(true), EMPTY, fleet(8), busy50sAgo, NOW);

    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void theSampleThatStartsTheMinuteCountsTheBusySampleBeforeItDoesNot() {
    // A stored sample stands for the time until the next one: the minute starts with the newest
    // sample at or before it, here one exactly a minute old that had nothing to do.
    ScalingHistory quietFromAMinuteAgo =
        history(sample(150, 8, 60), sample(75, 8, 2), sample(60, 0, 0), sample(45, 0, 0));
    ScalingHistory busyAMinuteAgo = history(sample(150, 8, 60), sample(60, 8, 2), sample(45, 0, 0));

    assertThat(ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), quietFromAMinuteAgo, NOW).reason())
        .isEqualTo(Reason.DRAINED);
    assertThat(ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), busyAMinuteAgo, NOW).desired())
        .isEqualTo(8);
  }

  @Test
  void aMessageInFlightNowIsNotADrainedQueue() {
    Decision decision =
        ScalingPolicy.decide(DRAINING, new QueueSnapshot(0, 1, 0), fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void aDelayedMessageIsNotADrainedQueueEvenWhenItDoesNotCountAsBacklog() {
    Decision decision =
        ScalingPolicy.decide(DRAINING, new QueueSnapshot(0, 0, 3), fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.recommended()).isZero(); // count-delayed is false
    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void oneBusySampleInTheLastMinuteIsNotADrainedQueue() {
    // backlog-per-task: no load term whose own minute would hold the fleet anyway.
    ScalingHistory busy30sAgo =
        history(sample(150, 8, 60), sample(75, 0, 0), sample(30, 1, 4), sample(15, 0, 0));

    Decision decision =
        ScalingPolicy.decide(backlogPerTask(true), EMPTY, fleet(8), busy30sAgo, NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void oneEmptyReadAfterAGapInSamplingIsNoEvidenceOfAMinuteDrained() {
    // The last sample stored saw the burst; the samples since were missed (throttled invocations).
    ScalingHistory gap = history(sample(150, 8, 60));

    Decision decision = ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), gap, NOW);

    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void aBatchWaitingForItsTasksIsNotAMinuteWithNothingToDo() {
    // A batch of 500 found no task running: the invocation's samples saw it visible, none of it in
    // flight yet (its tasks were launching), and by the next invocation it was worked off. No
    // sample of the minute saw a message in flight, but every one saw work: the empty read now is
    // the only one, and it may be the approximate counts' zero.
    ScalingHistory batchWaiting =
        history(sample(60, 5, 0), sample(45, 5, 0), sample(30, 5, 0), sample(15, 5, 0));

    Decision decision = ScalingPolicy.decide(DRAINING, EMPTY, fleet(5), batchWaiting, NOW);

    assertThat(decision.desired()).isEqualTo(5);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void aDrainedFleetKeepsMinTasks() {
    ScalingParameters withMinimum =
        new ScalingParameters(
                3, 20, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(210), 0, 0, 10)
            .withScaleToZeroDelay(Duration.ofSeconds(300))
            .withLoad(new LoadTerm(10, 120))
            .withScaleInWhenDrained(true);
    ScalingHistory quiet = history(sample(150, 8, 60), sample(75, 3, 0));

    Decision decision = ScalingPolicy.decide(withMinimum, EMPTY, fleet(8), quiet, NOW);

    assertThat(decision.desired()).isEqualTo(3);
    assertThat(decision.reason()).isEqualTo(Reason.DRAINED);
  }

  @Test
  void underTheLoadTermAFollowUpSampleStillLeavesTheScaleInToTheInvocationsFirst() {
    Decision decision =
        ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), BURST_THEN_QUIET, NOW, Sample.FOLLOW_UP);

    assertThat(decision.action()).isEqualTo(Action.HOLD);
  }

  @Test
  void switchedOffTheWindowHoldsADrainedFleetAsBefore() {
    Decision decision =
        ScalingPolicy.decide(
            DRAINING.withScaleInWhenDrained(false), EMPTY, fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void aMaxScaleInStepStillLimitsADrainedScaleIn() {
    ScalingParameters stepped =
        new ScalingParameters(
                0, 20, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(210), 0, 2, 10)
            .withScaleToZeroDelay(Duration.ofSeconds(300))
            .withLoad(new LoadTerm(10, 120))
            .withScaleInWhenDrained(true);

    Decision decision = ScalingPolicy.decide(stepped, EMPTY, fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.desired()).isEqualTo(6);
    assertThat(decision.reason()).isEqualTo(Reason.STEP_LIMIT);
  }

  /**
   * backlog-per-task at its defaults (300 s window, 300 s to zero, no tolerance): without the load
   * term's 60 s average, the drained rule's own conditions are all that keep the window.
   */
  private static ScalingParameters backlogPerTask(boolean countInFlight) {
    return new ScalingParameters(
            0, 20, 100, 1, countInFlight, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0, 0)
        .withScaleToZeroDelay(Duration.ofSeconds(300))
        .withScaleInWhenDrained(true);
  }

  @Test
  void withoutTheLoadTermAMessageInFlightHalfAMinuteAgoStillHoldsTheWindow() {
    // count-in-flight false: the sample asked for no task, but it saw work in flight.
    ScalingHistory busy30sAgo =
        history(sample(150, 8, 60), sample(75, 0, 0), sample(30, 0, 40), sample(15, 0, 0));

    Decision decision =
        ScalingPolicy.decide(backlogPerTask(false), EMPTY, fleet(8), busy30sAgo, NOW);

    assertThat(decision.desired()).isEqualTo(8);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void aMessageInFlightNowHoldsTheWindowEvenWhenInFlightIsNotBacklog() {
    Decision decision =
        ScalingPolicy.decide(
            backlogPerTask(false), new QueueSnapshot(0, 5, 0), fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.recommended()).isZero(); // count-in-flight is false
    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void messagesWaitingWithNoneInFlightAreNotADrainedQueue() {
    // Workers that receive nothing (a crash loop, a wrong queue) leave the messages visible.
    Decision decision =
        ScalingPolicy.decide(
            DRAINING, new QueueSnapshot(50, 0, 0), fleet(8), BURST_THEN_QUIET, NOW);

    assertThat(decision.recommended()).isEqualTo(1);
    assertThat(decision.desired()).isEqualTo(8);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
  }

  @Test
  void anEntryWithoutAnInFlightCountInTheMinuteCountsAsBusy() {
    // A compacted entry (ScalingHistory.MAX_ENTRIES) keeps its count, not what it saw in flight;
    // the load term's average skips it, the drained rule must not.
    ScalingHistory compacted =
        history(sample(150, 8, 60), sample(75, 0, 0), new Recommendation(NOW.minusSeconds(30), 0));

    Decision decision = ScalingPolicy.decide(DRAINING, EMPTY, fleet(8), compacted, NOW);

    assertThat(decision.desired()).isEqualTo(8);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
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
