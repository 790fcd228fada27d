package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** scale-tolerance-percent: the HPA's tolerance, off by default. */
class ScalingToleranceTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static ScalingParameters tolerance(int percent) {
    return new ScalingParameters(
        0, 10, 100, 1, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0, percent);
  }

  private static Decision decide(ScalingParameters p, long visible, int current) {
    return ScalingPolicy.decide(
        p,
        new QueueSnapshot(visible, 0, 0),
        new ServiceSnapshot(current, current, 0),
        ScalingHistory.EMPTY,
        NOW);
  }

  @Test
  void withinTheToleranceTheCountIsLeftAlone() {
    Decision decision = decide(tolerance(10), 540, 5); // 108 per task: within 10 % of 100

    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.reason()).isEqualTo(Reason.WITHIN_TARGET);
    assertThat(decision.recommended()).isEqualTo(6);
  }

  @Test
  void beyondTheToleranceTheFormulaActs() {
    Decision decision = decide(tolerance(10), 560, 5); // 112 per task

    assertThat(decision.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(decision.desired()).isEqualTo(6);
  }

  @Test
  void offForTheBacklogPerTaskFormulaWhichActsOnEveryChange() {
    assertThat(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS.tolerancePercent()).isZero();
    assertThat(decide(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS, 540, 5).desired()).isEqualTo(6);
  }

  @Test
  void limitsStillApplyInsideTheTolerance() {
    // 12 tasks for 1,150 messages is within 10 %, but max-tasks is 10.
    Decision decision = decide(tolerance(10), 1_150, 12);

    assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isEqualTo(10);
  }
}
