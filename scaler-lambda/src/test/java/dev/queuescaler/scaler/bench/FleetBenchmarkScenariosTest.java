package dev.queuescaler.scaler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.lambda.FunctionTimeout;
import dev.queuescaler.scaler.tracing.ChosenTracer;
import org.junit.jupiter.api.Test;

/** A run of the fleet benchmark can be limited to named scenarios, so that it takes minutes. */
class FleetBenchmarkScenariosTest {

  @Test
  void runsEachMinuteWithTheDeadlineTheDeployedFunctionHas() {
    // The handler passes its time left less the spans' flush; the benchmark must measure that.
    assertThat(FleetBenchmark.DEADLINE)
        .isEqualTo(FunctionTimeout.DEPLOYED.minus(ChosenTracer.FLUSH_TIMEOUT));
  }

  @Test
  void noNamesRunsEveryScenario() {
    assertThat(FleetBenchmark.chosen(" ")).hasSize(FleetBenchmark.SCENARIOS.size());
  }

  @Test
  void namedScenariosRunInTheTablesOrder() {
    assertThat(FleetBenchmark.chosen("storm-100, steady"))
        .containsExactly(
            FleetBenchmark.SCENARIOS.get("steady"), FleetBenchmark.SCENARIOS.get("storm-100"));
  }

  @Test
  void anUnknownNameIsRefusedWithTheNamesThatExist() {
    assertThatThrownBy(() -> FleetBenchmark.chosen("steady,stedy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scenario stedy")
        .hasMessageContaining("all-keys, steady, at-once, storm-100, storm-1000");
  }
}
