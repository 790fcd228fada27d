package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.ScalingFormula;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;

/** The tunables' builder: a setter per key, each with the scaler's own range. */
class ScalerTunablesTest {

  /** {@code scale-in-stabilization-seconds} is {@code scaleInStabilization(Duration)}. */
  private static String setterName(ParameterKey key) {
    String[] words = key.key().replaceFirst("-seconds$", "").split("-");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
    }
    return name.toString();
  }

  @Test
  void everyTunableKeyHasATypedSetterAndTheRequiredKeysHaveNone() {
    Set<String> setters =
        Arrays.stream(ScalerTunables.Builder.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .filter(m -> m.getParameterCount() == 1)
            .map(Method::getName)
            .collect(Collectors.toSet());

    for (ParameterKey key : ParameterKey.values()) {
      assertThat(setters.contains(setterName(key)))
          .as("a setter %s for %s", setterName(key), key.key())
          .isEqualTo(!key.isRequired());
    }
  }

  @Test
  void eachSetterWritesItsKeyInItsSsmForm() {
    Map<ParameterKey, String> values =
        ScalerTunables.builder()
            .minTasks(1)
            .maxTasks(20)
            .backlogPerTask(40)
            .activationBacklog(5)
            .countInFlight(false)
            .countDelayed(true)
            .scaleOutCooldown(Duration.seconds(30))
            .scaleInStabilization(Duration.minutes(5))
            .scaleToZeroDelay(Duration.hours(1))
            .scaleInWhenDrained(true)
            .scaleInBetweenBursts(true)
            .scaleInAfterLongPauses(true)
            .maxScaleOutStep(4)
            .maxScaleInStep(2)
            .scaleTolerancePercent(10)
            .taskConcurrency(40)
            .policy(ScalingFormula.BACKLOG_AND_LOAD)
            .targetUtilizationPercent(100)
            .sampleInterval(Duration.seconds(30))
            .idleCheck(Duration.seconds(30))
            .enabled(false)
            .dryRun(true)
            .build()
            .values();

    assertThat(values)
        .hasSize(ParameterKey.values().length - 3)
        .containsEntry(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, "300")
        .containsEntry(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS, "3600")
        .containsEntry(ParameterKey.SCALE_IN_WHEN_DRAINED, "true")
        .containsEntry(ParameterKey.SCALE_IN_BETWEEN_BURSTS, "true")
        .containsEntry(ParameterKey.SCALE_IN_AFTER_LONG_PAUSES, "true")
        .containsEntry(ParameterKey.COUNT_IN_FLIGHT, "false")
        .containsEntry(ParameterKey.POLICY, "backlog-and-load")
        .containsEntry(ParameterKey.SAMPLE_INTERVAL_SECONDS, "30")
        .containsEntry(ParameterKey.IDLE_CHECK_SECONDS, "30");
    assertThat(ScalerTunables.defaults().values()).isEmpty();
  }

  @Test
  void tunablesRejectWhatTheScalerWouldRejectNamingTheKey() {
    assertThatThrownBy(() -> ScalerTunables.builder().backlogPerTask(0))
        .hasMessageContaining("backlog-per-task must be >= 1 but was 0");
    assertThatThrownBy(() -> ScalerTunables.builder().minTasks(20).build())
        .hasMessageContaining("min-tasks (20) must not be above max-tasks (10)");
    assertThatThrownBy(
            () -> ScalerTunables.builder().policy(ScalingFormula.BACKLOG_AND_LOAD).build())
        .hasMessageContaining("needs task-concurrency");
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.POLICY, "kpa"))
        .hasMessageContaining("must be one of");
    assertThatThrownBy(() -> ScalerTunables.builder().targetUtilizationPercent(201))
        .hasMessageContaining("target-utilization-percent must be 1-200 but was 201");
    assertThatThrownBy(() -> ScalerTunables.builder().sampleInterval(Duration.seconds(2)))
        .hasMessageContaining("sample-interval-seconds must be 5-60");
    assertThatThrownBy(() -> ScalerTunables.builder().idleCheck(Duration.seconds(90)))
        .hasMessageContaining("idle-check-seconds must be 5-60");
    assertThatThrownBy(() -> ScalerTunables.builder().scaleOutCooldown(Duration.millis(1500)))
        .hasMessageContaining("scale-out-cooldown-seconds must be whole seconds but was 1500 ms");
    assertThatThrownBy(() -> ScalerTunables.builder().scaleInStabilization(Duration.hours(2)))
        .hasMessageContaining("scale-in-stabilization-seconds must be 0-3600 but was 7200");
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.DRY_RUN, "yes"))
        .hasMessageContaining("dry-run must be true or false");
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.MAX_TASKS, "1,000"))
        .hasMessageContaining("max-tasks must be an integer but was 1,000");
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.QUEUE_URL, "x"))
        .hasMessageContaining("queue-url is set by the construct");
  }

  /**
   * As the scaler says of the same value in SSM: an integer, out of range, not "not an integer".
   */
  @Test
  void aWholeNumberBeyondTheIntegerRangeIsOutOfRangeNamingTheKey() {
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.MAX_TASKS, "2147483648"))
        .hasMessage("max-tasks must be >= 1 but was 2147483648");
    assertThatThrownBy(
            () ->
                ScalerTunables.builder()
                    .set(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, "99999999999"))
        .hasMessage("scale-in-stabilization-seconds must be 0-3600 but was 99999999999");
    assertThatThrownBy(() -> ScalerTunables.builder().set(ParameterKey.MIN_TASKS, "-99999999999"))
        .hasMessage("min-tasks must be >= 0 but was -99999999999");
  }
}
