package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IdleChecksTest {

  private static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void theScheduleAloneAddsNoCheck() {
    assertThat(IdleChecks.SCHEDULE_ONLY.offsets(MINUTE)).isEmpty();
    assertThat(IdleChecks.SCHEDULE_ONLY.invocationsPerMonth(MINUTE)).isZero();
  }

  @Test
  void everyFifteenSecondsIsThreeChecksBetweenInvocations() {
    IdleChecks checks = new IdleChecks(Duration.ofSeconds(15));

    assertThat(checks.offsets(MINUTE))
        .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(45));
    assertThat(checks.due(Duration.ofSeconds(30), MINUTE)).isTrue();
    assertThat(checks.due(Duration.ofSeconds(20), MINUTE)).isFalse();
    assertThat(checks.invocationsPerMonth(MINUTE)).isEqualTo(3 * 43_200);
  }

  @Test
  void anIntervalOutsideFiveToSixtySecondsIsRejected() {
    assertThatThrownBy(() -> new IdleChecks(Duration.ofSeconds(4)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdleChecks(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLastCheckIsDueTenSecondsBeforeTheNextInvocation() {
    assertThat(new IdleChecks(Duration.ofSeconds(5)).offsets(MINUTE))
        .hasSize(10)
        .last()
        .isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void aCheckSeesWhatTheTargetCountsAndNothingElse() {
    assertThat(IdleChecks.stillIdle(BacklogRules.DEFAULTS, new QueueSnapshot(0, 0, 0))).isTrue();
    assertThat(IdleChecks.stillIdle(BacklogRules.DEFAULTS, new QueueSnapshot(1, 0, 0))).isFalse();
    assertThat(IdleChecks.stillIdle(BacklogRules.DEFAULTS, new QueueSnapshot(0, 1, 0))).isFalse();
    assertThat(IdleChecks.stillIdle(BacklogRules.DEFAULTS, new QueueSnapshot(0, 0, 1)))
        .as("count-delayed false: a delayed message wakes nothing")
        .isTrue();
    assertThat(IdleChecks.stillIdle(new BacklogRules(false, true, 1), new QueueSnapshot(0, 1, 1)))
        .as("count-in-flight false, count-delayed true")
        .isFalse();
    assertThat(IdleChecks.stillIdle(new BacklogRules(false, false, 1), new QueueSnapshot(0, 5, 5)))
        .isTrue();
    assertThat(IdleChecks.stillIdle(new BacklogRules(true, false, 10), new QueueSnapshot(9, 0, 0)))
        .as("below activation-backlog")
        .isTrue();
    assertThat(IdleChecks.stillIdle(new BacklogRules(true, false, 10), new QueueSnapshot(9, 1, 0)))
        .isFalse();
  }

  /**
   * The check's judgement is the policy's: a read is left alone exactly when the target's decision
   * on it (service at zero, min-tasks 0) would recommend no task, under either formula.
   */
  @Property
  void aCheckWakesATargetExactlyWhenItsDecisionWouldRecommendATask(
      @ForAll @IntRange(min = 0, max = 30) int visible,
      @ForAll @IntRange(min = 0, max = 30) int inFlight,
      @ForAll @IntRange(min = 0, max = 30) int delayed,
      @ForAll boolean countInFlight,
      @ForAll boolean countDelayed,
      @ForAll @IntRange(min = 1, max = 40) int activation,
      @ForAll @IntRange(min = 1, max = 20) int backlogPerTask,
      @ForAll boolean withLoad) {
    ScalingParameters parameters =
        new ScalingParameters(
            0,
            10,
            backlogPerTask,
            activation,
            countInFlight,
            countDelayed,
            Duration.ZERO,
            Duration.ofSeconds(300),
            0,
            0,
            0,
            Duration.ofSeconds(300),
            false,
            withLoad ? Optional.of(new LoadTerm(4, 80)) : Optional.empty());
    QueueSnapshot queue = new QueueSnapshot(visible, inFlight, delayed);

    Decision decision =
        ScalingPolicy.decide(
            parameters,
            queue,
            new ServiceSnapshot(0, 0, 0),
            ScalingHistory.EMPTY,
            Instant.parse("2026-11-27T12:00:15Z"),
            Sample.IDLE_CHECK);

    assertThat(IdleChecks.stillIdle(parameters.backlogRules(), queue))
        .isEqualTo(decision.recommended() == 0);
  }

  @Test
  void pastFiftySecondsTheOneCheckIsAtFiftySeconds() {
    assertThat(new IdleChecks(Duration.ofSeconds(50)).offsets(MINUTE))
        .containsExactly(Duration.ofSeconds(50));
    assertThat(new IdleChecks(Duration.ofSeconds(55)).offsets(MINUTE))
        .as("no multiple of 55 s fits 10 s before the next invocation: 50 s does")
        .containsExactly(Duration.ofSeconds(50));
    assertThat(new IdleChecks(Duration.ofSeconds(59)).scheduleOnly()).isFalse();
  }

  /**
   * idle-check-seconds is documented as 5-60 with 60 alone meaning the schedule alone: every other
   * value reads an idle target between invocations, first within the interval it names.
   */
  @Property
  void everyIntervalBelowSixtySecondsChecksWithinIt(
      @ForAll @IntRange(min = 5, max = 59) int seconds) {
    IdleChecks checks = new IdleChecks(Duration.ofSeconds(seconds));

    assertThat(checks.offsets(MINUTE)).isNotEmpty();
    assertThat(checks.offsets(MINUTE).get(0)).isLessThanOrEqualTo(Duration.ofSeconds(seconds));
    assertThat(checks.offsets(MINUTE))
        .allSatisfy(offset -> assertThat(offset).isLessThanOrEqualTo(Duration.ofSeconds(50)));
    assertThat(checks.scheduleOnly()).isFalse();
  }

  @Property
  void anIdleTargetWaitsAtMostTheIntervalBetweenChecksAndLessThanTenSecondsMoreAfterTheLast(
      @ForAll @IntRange(min = 5, max = 59) int seconds,
      @ForAll @IntRange(min = 0, max = 59) int at) {
    IdleChecks checks = new IdleChecks(Duration.ofSeconds(seconds));
    // The reads of a minute: the invocation at 0, then the idle checks.
    int next = 60;
    for (Duration offset : checks.offsets(MINUTE)) {
      if (offset.toSeconds() >= at) {
        next = (int) offset.toSeconds();
        break;
      }
    }
    // Between two checks, the interval; after the last (10 s or more before the next invocation),
    // less than the interval and those 10 s.
    assertThat(next - at).isLessThan(seconds + 10);
    if (next < 60) {
      assertThat(next - at).isLessThanOrEqualTo(seconds);
    }
  }
}
