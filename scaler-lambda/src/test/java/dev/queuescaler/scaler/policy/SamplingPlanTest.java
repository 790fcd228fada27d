package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingPlanTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static List<Long> seconds(SamplingPlan plan, Duration period) {
    return plan.offsets(period).stream().map(Duration::toSeconds).toList();
  }

  @Test
  void samplesEveryIntervalWithinTheSchedulesMinute() {
    assertThat(seconds(new SamplingPlan(Duration.ofSeconds(15)), MINUTE))
        .containsExactly(0L, 15L, 30L, 45L);
    assertThat(seconds(new SamplingPlan(Duration.ofSeconds(20)), MINUTE))
        .containsExactly(0L, 20L, 40L);
    assertThat(seconds(new SamplingPlan(Duration.ofSeconds(25)), MINUTE))
        .containsExactly(0L, 25L, 50L);
  }

  @Test
  void aMinuteOrMoreIsOncePerInvocationAndSoIsAZeroPeriod() {
    assertThat(seconds(SamplingPlan.ONCE, MINUTE)).containsExactly(0L);
    assertThat(seconds(new SamplingPlan(Duration.ofSeconds(90)), MINUTE)).containsExactly(0L);
    assertThat(seconds(new SamplingPlan(Duration.ofSeconds(15)), Duration.ZERO))
        .containsExactly(0L);
  }

  @Test
  void rejectsAnIntervalShorterThanASamplesOwnWork() {
    assertThatThrownBy(() -> new SamplingPlan(Duration.ofSeconds(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 5 s");
  }

  @Test
  void aDecisionWithNoBacklogAndNoTaskIsIdle() {
    assertThat(SamplingPlan.idle(Decision.hold(0, 0, 0, Reason.WITHIN_TARGET))).isTrue();
    assertThat(SamplingPlan.idle(Decision.hold(3, 0, 0, Reason.ACTIVATION))).isFalse();
    assertThat(SamplingPlan.idle(Decision.hold(0, 2, 0, Reason.STABILIZING))).isFalse();
  }
}
