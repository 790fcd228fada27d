package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code scale-in-when-drained} on the histories the scaler really stores: each sample is decided,
 * then stored as {@code TargetCycle} stores it ({@link ScalingHistory#after(Instant, int,
 * OptionalLong, boolean, Duration, int, Cadence)}: a run of samples at the floor kept by its
 * first), and the decision's count applied. docs/operating.md ("Batches minutes apart") says: two
 * empty reads in a row (a read that saw only what the floor covers counts as empty), and under
 * backlog-per-task a scale-in 75 s after the last sample that saw a message in flight.
 */
class DrainedScaleInAsStoredTest {

  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);

  /** backlog-per-task at its defaults (300 s window, 300 s to zero), with the key on. */
  private static ScalingParameters backlogPerTask(int minTasks, boolean countDelayed) {
    return new ScalingParameters(
            minTasks,
            20,
            100,
            1,
            true,
            countDelayed,
            Duration.ZERO,
            Duration.ofSeconds(300),
            0,
            0,
            0)
        .withScaleToZeroDelay(Duration.ofSeconds(300))
        .withScaleInWhenDrained(true);
  }

  /** The policy plus the history, stepped as the cycle steps them. */
  private static final class Target {
    private final ScalingParameters parameters;
    private ScalingHistory history = ScalingHistory.EMPTY;
    private int desired;

    Target(ScalingParameters parameters) {
      this.parameters = parameters;
    }

    Decision sample(Instant now, QueueSnapshot queue) {
      Decision decision =
          ScalingPolicy.decide(
              parameters,
              queue,
              new ServiceSnapshot(desired, desired, 0),
              history,
              now,
              Sample.FIRST_OF_INVOCATION);
      history =
          history.after(
              now,
              decision.recommended(),
              OptionalLong.of(queue.inFlight()),
              decision.action() == Action.SCALE_OUT,
              parameters.historyRetention(),
              parameters.minTasks(),
              Cadence.after(decision, Sample.FIRST_OF_INVOCATION));
      desired = decision.desired();
      return decision;
    }

    /** A burst's 600 messages in flight every 15 s up to {@code T0}: six tasks. */
    Target busyUntilT0() {
      for (int s = -150; s <= 0; s += 15) {
        sample(T0.plusSeconds(s), new QueueSnapshot(0, 600, 0));
      }
      assertThat(desired).isEqualTo(6);
      return this;
    }
  }

  private static Instant at(long seconds, long millisLate) {
    return T0.plusSeconds(seconds).plusMillis(millisLate);
  }

  @Test
  void
      backlogPerTaskScalesInDrained75sAfterTheLastSampleInFlightWhenTheSamplesRunMillisecondsLate() {
    // Samples are due at offsets from an invocation's start and take their time after a state
    // load, so one is a few milliseconds later than its offset than another: here the sample at
    // +15 s 40 ms, the one at +75 s 10 ms.
    Target target = new Target(backlogPerTask(0, false)).busyUntilT0();
    long[] late = {40, 25, 25, 30, 10};
    Decision atSeventyFive = null;
    for (int k = 1; k <= 5; k++) {
      atSeventyFive = target.sample(at(15L * k, late[k - 1]), EMPTY);
    }

    // docs/operating.md: "under `backlog-per-task` (a 300 s window, scale-ins on any sample) 75 s
    // after it."
    assertThat(atSeventyFive.reason()).isEqualTo(Reason.DRAINED);
  }

  // The two cases below are the rule's documented limit (docs/operating.md, "Batches minutes
  // apart"): a sample at the floor that repeats the run before it is not stored, so a read that saw
  // only messages the floor covers counts as empty. Both go to what the formula asks for.

  @Test
  void aReadThatSawOnlyDelayedMessagesThatDoNotCountLeavesNoTrace() {
    // count-delayed false: 500 messages sent with a delay ask for no task; the sample that saw
    // them is one more of the run at the floor, so the next empty read is the second in a row.
    Target target = new Target(backlogPerTask(0, false)).busyUntilT0();
    for (int s = 15; s <= 60; s += 15) {
      target.sample(T0.plusSeconds(s), new QueueSnapshot(0, 0, 500));
    }

    Decision emptyRead = target.sample(T0.plusSeconds(75), EMPTY);

    assertThat(emptyRead.reason()).isEqualTo(Reason.DRAINED);
    assertThat(emptyRead.desired()).isEqualTo(1);
  }

  @Test
  void aBatchThatMinTasksServesLeavesNoTraceAndTheFleetGoesToMinTasks() {
    // min-tasks 1: a batch of 80, read visible before a task received it, asks for the one task
    // min-tasks keeps anyway; with min-tasks 0 its one task would have been stored and the window
    // kept through the next read.
    Target target = new Target(backlogPerTask(1, false)).busyUntilT0();
    for (int s = 15; s <= 60; s += 15) {
      target.sample(T0.plusSeconds(s), EMPTY);
    }
    Decision batchSeenWaiting = target.sample(T0.plusSeconds(75), new QueueSnapshot(80, 0, 0));
    assertThat(batchSeenWaiting.desired()).isEqualTo(6);

    Decision emptyRead = target.sample(T0.plusSeconds(90), EMPTY);

    assertThat(emptyRead.reason()).isEqualTo(Reason.DRAINED);
    assertThat(emptyRead.desired()).isEqualTo(1);
  }

  @Test
  void aBatchSeenWaitingAboveTheFloorTakesTwoEmptyReads() {
    Target target = new Target(backlogPerTask(0, false)).busyUntilT0();
    for (int s = 15; s <= 60; s += 15) {
      target.sample(T0.plusSeconds(s), EMPTY);
    }
    target.sample(T0.plusSeconds(75), new QueueSnapshot(80, 0, 0));

    Decision firstEmptyRead = target.sample(T0.plusSeconds(90), EMPTY);
    Decision secondEmptyRead = target.sample(T0.plusSeconds(105), EMPTY);

    assertThat(firstEmptyRead.desired()).isEqualTo(6);
    assertThat(secondEmptyRead.reason()).isEqualTo(Reason.DRAINED);
  }

  @Test
  void twoEmptyReadsInABatchsFirstMinuteAfterAnIdleSpellAreNoMinuteDrained() {
    // An idle hour is stored as one entry, which the batch's sample drops (older than the 300 s
    // the history keeps): no stored sample is a minute old, so nothing says the minute was quiet.
    Target target = new Target(backlogPerTask(0, false));
    target.sample(T0.minusSeconds(3_600), EMPTY);
    Decision batch = target.sample(T0, new QueueSnapshot(500, 0, 0));
    assertThat(batch.desired()).isEqualTo(5);
    target.sample(T0.plusSeconds(15), EMPTY);

    Decision secondEmptyRead = target.sample(T0.plusSeconds(30), EMPTY);

    assertThat(secondEmptyRead.reason()).isEqualTo(Reason.STABILIZING);
    assertThat(secondEmptyRead.desired()).isEqualTo(5);
  }
}
