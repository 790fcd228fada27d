package dev.queuescaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's ranges, as the parser and the stack read them. */
class ParameterKeyTest {

  private static final List<ParameterKey> DURATIONS =
      Arrays.stream(ParameterKey.values()).filter(key -> key.key().endsWith("-seconds")).toList();

  @Test
  void everyDurationHasAnUpperBoundAndTheTableShowsIt() {
    assertThat(DURATIONS).hasSize(5);
    for (ParameterKey key : DURATIONS) {
      assertThat(key.maximum()).as(key.key()).isLessThan(Integer.MAX_VALUE);
      assertThat(key.valid()).as(key.key()).startsWith(key.minimum() + "-" + key.maximum());
    }
  }

  @Test
  void theWindowsStopAtTheKubernetesHpasHourAndTheDelayAtADay() {
    assertThat(ParameterKey.SCALE_IN_STABILIZATION_SECONDS.maximum()).isEqualTo(3600);
    assertThat(ParameterKey.SCALE_OUT_COOLDOWN_SECONDS.maximum()).isEqualTo(3600);
    assertThat(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS.maximum()).isEqualTo(86_400);
    assertThat(ParameterKey.SAMPLE_INTERVAL_SECONDS.maximum())
        .as("past the schedule's minute a longer interval changes nothing")
        .isEqualTo(60);
    assertThat(ParameterKey.IDLE_CHECK_SECONDS.maximum())
        .as("60: the schedule's own read, once a minute")
        .isEqualTo(60);
  }

  @Test
  void thePolicysDefaultSampleIntervalIsTheSsmDefault() {
    assertThat(SamplingPlan.DEFAULT.interval())
        .as("the load term's average assumes it where no interval is given")
        .isEqualTo(
            Duration.ofSeconds(
                Integer.parseInt(ParameterKey.SAMPLE_INTERVAL_SECONDS.defaultValue())));
  }

  @Test
  void everyDefaultIsInItsRange() {
    for (ParameterKey key : ParameterKey.values()) {
      if (key.kind() == ParameterKey.Kind.INTEGER) {
        for (ScalingFormula formula : ScalingFormula.values()) {
          assertThat(Integer.parseInt(key.defaultValue(formula)))
              .as(key.key() + " under " + formula)
              .isBetween(key.minimum(), key.maximum());
        }
      }
    }
  }
}
