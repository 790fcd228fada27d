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
 * {@code scale-in-between-bursts} on the inputs a review found it wrong on (2026-12-06): one empty
 * read of SQS's approximate counts must never drop a fleet that was working (the {@link
 * ScalingPolicy#DRAINED_FOR} rationale), a release on a follow-up sample is one step, not a drain
 * paced every sample, and a released fleet must be free to scale out when the next burst comes.
 */
class BetweenBurstsSafetyTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);

  // Bursts every 420 s, the last began 90 s ago: the next is due in 330 s.
  private static final List<Instant> EVERY_SEVEN_MINUTES = starts(1350, 930, 510, 90);

  /** backlog-and-load at its defaults (210 s window, 300 s to zero, tasks of 10 at 120 %). */
  private static final ScalingParameters LOAD = ScaleInBetweenBurstsTest.loadTermDefaults(0, 0);

  /** backlog-per-task at 25 messages a task, counting in flight, 300 s window and to zero. */
  private static final ScalingParameters BACKLOG_PER_TASK =
      new ScalingParameters(
              0, 20, 25, 1, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0, 0)
          .withScaleToZeroDelay(Duration.ofSeconds(300))
          .withScaleInBetweenBursts(true);

  @Test
  void oneEmptyReadWhileABurstIsStillWorkedOffDoesNotDropItsFleetUnderBacklogPerTask() {
    // The burst began 90 s ago and is still being worked: each of the last four samples saw 200
    // in flight. SQS's approximate counts read 0 for one moment (docs: "approximate counts, a
    // message still in another task's receive").
    ScalingHistory busy =
        new ScalingHistory(
            List.of(sample(60, 8, 200), sample(45, 8, 200), sample(30, 8, 200), sample(15, 8, 200)),
            Optional.of(NOW.minusSeconds(90)),
            EVERY_SEVEN_MINUTES);

    Decision decision = ScalingPolicy.decide(BACKLOG_PER_TASK, EMPTY, fleet(8), busy, NOW);

    // Before: SCALE_IN to 1 task, reason BETWEEN_BURSTS.
    assertThat(decision.desired()).isEqualTo(8);
  }

  @Test
  void aFleetThatGrewFifteenSecondsAgoIsNotCutByTheNextEmptyRead() {
    // The burst that began 90 s ago is still growing: the fleet went to 20 on the last sample.
    ScalingHistory growing =
        new ScalingHistory(
            List.of(sample(45, 10, 120), sample(30, 15, 180), sample(15, 20, 240)),
            Optional.of(NOW.minusSeconds(15)),
            EVERY_SEVEN_MINUTES);

    Decision decision = ScalingPolicy.decide(LOAD, EMPTY, fleet(20), growing, NOW);

    // Before: SCALE_IN to 12 (the load term's mean), reason BETWEEN_BURSTS; the next sample
    // sees the 240 in flight again and scales out to 20.
    assertThat(decision.desired()).isEqualTo(20);
  }

  @Test
  void aReleaseOnAFollowUpSampleIsOneStepNotADrainPacedEverySample() {
    // docs/operating.md: "It acts on any sample of an invocation, not only its first (one step
    // down, not a drain the load term paces)". 15 s ago a follow-up released 10 -> 5; the load
    // term's minute is still draining, and this follow-up steps down again (and the next to 1):
    // one UpdateService a sample, where every other scale-in under the load term waits a minute.
    ScalingHistory released =
        new ScalingHistory(
            List.of(
                sample(75, 10, 120),
                sample(60, 10, 120),
                sample(45, 10, 120),
                sample(30, 8, 0),
                sample(15, 5, 0)),
            Optional.empty(),
            EVERY_SEVEN_MINUTES);

    Decision decision =
        ScalingPolicy.decide(LOAD, EMPTY, fleet(5), released, NOW, Sample.FOLLOW_UP);

    // Before: SCALE_IN 5 -> 3, reason BETWEEN_BURSTS.
    assertThat(decision.desired()).isEqualTo(5);
  }

  @Test
  void turningOnScaleInWhenDrainedDoesNotStopTheReleaseOnAFollowUpSample() {
    // A burst 150 s ago, nothing in flight for the last minute: both rules apply. DRAINED is
    // chosen first, and a DRAINED scale-in on a follow-up waits for the next invocation, so the
    // follow-up that BETWEEN_BURSTS alone would release holds the fleet.
    ScalingHistory drained =
        new ScalingHistory(
            List.of(sample(150, 8, 80), sample(60, 0, 0)), Optional.empty(), EVERY_SEVEN_MINUTES);

    Decision betweenOnly =
        ScalingPolicy.decide(LOAD, EMPTY, fleet(8), drained, NOW, Sample.FOLLOW_UP);
    Decision both =
        ScalingPolicy.decide(
            LOAD.withScaleInWhenDrained(true), EMPTY, fleet(8), drained, NOW, Sample.FOLLOW_UP);

    assertThat(betweenOnly.desired()).isEqualTo(1);
    assertThat(betweenOnly.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
    // Before: HOLD at 8, reason STABILIZING.
    assertThat(both.desired()).isEqualTo(1);
  }

  @Test
  void theFollowUpPropertyAcceptsAStepLimitedRelease() {
    // ScalingPolicyProperties let a follow-up under the load term scale in only with reason
    // BETWEEN_BURSTS, but a release limited by max-scale-in-step is reported as STEP_LIMIT; jqwik
    // had not drawn this input.
    ScalingParameters stepped = ScaleInBetweenBurstsTest.loadTermDefaults(0, 2);
    Instant propertiesNow = Instant.parse("2026-11-27T12:00:00Z");
    ScalingHistory periodic =
        new ScalingHistory(
            List.of(
                new Recommendation(propertiesNow.minusSeconds(90), 8, OptionalLong.of(80)),
                new Recommendation(propertiesNow.minusSeconds(45), 1, OptionalLong.of(0))),
            Optional.empty(),
            List.of(
                propertiesNow.minusSeconds(1350),
                propertiesNow.minusSeconds(930),
                propertiesNow.minusSeconds(510),
                propertiesNow.minusSeconds(90)));

    new ScalingPolicyProperties()
        .aFollowUpSampleUnderTheLoadTermScalesInOnlyBetweenPeriodicBursts(
            stepped, EMPTY, 8, periodic);
  }

  @Test
  void noReleaseInsideTheScaleOutCooldownSoAnEarlyBurstIsNeverHeldAtOneTask() {
    // A released fleet must be free to scale out again: were it released inside the cooldown, a
    // burst that came early would wait at one task (reason COOLDOWN) for the rest of it.
    ScalingParameters withCooldown =
        new ScalingParameters(
                0,
                20,
                25,
                1,
                true,
                false,
                Duration.ofSeconds(120),
                Duration.ofSeconds(300),
                0,
                0,
                0)
            .withScaleToZeroDelay(Duration.ofSeconds(300))
            .withScaleInBetweenBursts(true);
    // Bursts every 420 s, the last began 200 s ago and grew until 140 s ago; quiet since 110 s.
    ScalingHistory lastBurst =
        new ScalingHistory(
            List.of(
                sample(200, 5, 100),
                sample(185, 8, 200),
                sample(170, 10, 250),
                sample(140, 12, 300),
                sample(125, 12, 150),
                sample(110, 4, 0),
                sample(95, 0, 0)),
            Optional.of(NOW.minusSeconds(140)),
            starts(1460, 1040, 620, 200));

    Decision insideCooldown =
        ScalingPolicy.decide(withCooldown, EMPTY, fleet(12), lastBurst, NOW.minusSeconds(80));
    Decision afterCooldown = ScalingPolicy.decide(withCooldown, EMPTY, fleet(12), lastBurst, NOW);

    // Before: SCALE_IN to 1 at 60 s after the last scale-out, 60 s inside the cooldown.
    assertThat(insideCooldown.desired()).isEqualTo(12);
    assertThat(afterCooldown.reason()).isEqualTo(Reason.BETWEEN_BURSTS);
    assertThat(afterCooldown.desired()).isEqualTo(1);
  }

  @Test
  void oneEmptyReadWhileTheBurstsTasksAreStillStartingDoesNotDropTheFleet() {
    // The burst began 75 s ago: 1,000 visible, 20 tasks starting, nothing received yet, so every
    // stored sample saw nothing in flight but asked for 20 tasks by its backlog.
    ScalingHistory starting =
        new ScalingHistory(
            List.of(
                sample(75, 20, 0),
                sample(60, 20, 0),
                sample(45, 20, 0),
                sample(30, 20, 0),
                sample(15, 20, 0)),
            Optional.of(NOW.minusSeconds(75)),
            starts(1335, 915, 495, 75));

    // Before: SCALE_IN 20 -> 1 under both formulas, reason BETWEEN_BURSTS.
    assertThat(ScalingPolicy.decide(BACKLOG_PER_TASK, EMPTY, fleet(20), starting, NOW).desired())
        .isEqualTo(20);
    assertThat(ScalingPolicy.decide(LOAD, EMPTY, fleet(20), starting, NOW).desired()).isEqualTo(20);
  }

  @Test
  void aStoredSampleOlderThanTheReadsSinceIsNoEvidenceOfNothingInFlight() {
    // The reads 30 s and 15 s ago saw 150 in flight but were not stored (a failed save, a
    // throttled DescribeServices): the newest stored sample, 45 s old, asked for the 3 tasks the
    // load term's minute still held and saw nothing in flight.
    ScalingHistory gap =
        new ScalingHistory(
            List.of(sample(120, 8, 200), sample(105, 8, 200), sample(90, 8, 150), sample(45, 3, 0)),
            Optional.of(NOW.minusSeconds(150)),
            starts(1410, 990, 570, 150));

    // Before: SCALE_IN 8 -> 1, reason BETWEEN_BURSTS.
    assertThat(ScalingPolicy.decide(LOAD, EMPTY, fleet(8), gap, NOW).desired()).isEqualTo(8);
  }

  @Test
  void aStepLimitedReleaseOnLaterSamplesIsNotADrainPacedEverySample() {
    ScalingParameters stepped = ScaleInBetweenBurstsTest.loadTermDefaults(0, 2);
    // 15 s ago the invocation's first sample released 10 -> 8 (the step limit).
    ScalingHistory released =
        new ScalingHistory(
            List.of(
                sample(150, 10, 120),
                sample(135, 10, 120),
                sample(120, 10, 0),
                sample(105, 10, 0),
                sample(90, 10, 0),
                sample(75, 10, 0),
                sample(15, 0, 0)),
            Optional.of(NOW.minusSeconds(150)),
            starts(1410, 990, 570, 150));

    Decision decision =
        ScalingPolicy.decide(stepped, EMPTY, fleet(8), released, NOW, Sample.FOLLOW_UP);

    // Before: SCALE_IN 8 -> 6, reason STEP_LIMIT, and 6 -> 4 on the next sample.
    assertThat(decision.desired()).isEqualTo(8);
  }

  private static List<Instant> starts(int... secondsAgo) {
    return Arrays.stream(secondsAgo).mapToObj(NOW::minusSeconds).toList();
  }

  private static ServiceSnapshot fleet(int tasks) {
    return new ServiceSnapshot(tasks, tasks, 0);
  }

  private static Recommendation sample(int secondsAgo, int tasks, long inFlight) {
    return new Recommendation(NOW.minusSeconds(secondsAgo), tasks, OptionalLong.of(inFlight));
  }
}
