package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulationInvariantsTest {

  private static List<Results.PolicyResult> compare(Scenario scenario, SimConfig config) {
    Workload workload = Workload.of(scenario.arrivals(config.seed()), 1.0, 0.5, config.seed(), "t");
    return Comparison.run(
        config,
        workload,
        Comparison.policies(SimulatorCli.World.parameters(java.util.Map.of("max-tasks", "20"))),
        new ArrayList<>());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Scenario.class,
      names = {"BURST", "STEADY", "SPIKES", "TRICKLE"})
  void everyArrivedMessageIsProcessedOrStillQueued(Scenario scenario) {
    for (boolean protection : new boolean[] {true, false}) {
      SimConfig config = new SimConfig(0, 20, 10, 60, 240, 30, 60, 120, protection, 60, 7);
      for (Results.PolicyResult r : compare(scenario, config)) {
        assertThat(r.arrived())
            .as(r.policy() + " protection=" + protection)
            .isPositive()
            .isEqualTo(r.processed() + r.queuedAtEnd());
        assertThat(java.util.Arrays.stream(r.runningPerMinute()).max().orElse(0))
            .as(r.policy() + " never runs more than max-tasks")
            .isLessThanOrEqualTo(config.maxTasks());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameResultsAndAnotherSeedOthers() {
    SimConfig config = SimConfig.defaults();
    List<String> first =
        compare(Scenario.SPIKES, config).stream().map(Results.PolicyResult::csvRow).toList();
    List<String> again =
        compare(Scenario.SPIKES, config).stream().map(Results.PolicyResult::csvRow).toList();
    SimConfig other = new SimConfig(0, 20, 10, 60, 240, 30, 60, 120, true, 60, 43);
    List<String> different =
        compare(Scenario.SPIKES, other).stream().map(Results.PolicyResult::csvRow).toList();

    assertThat(again).isEqualTo(first);
    assertThat(different).isNotEqualTo(first);
  }

  @Test
  void aDayOfTrafficRunsInSecondsOfCpu() {
    long start = System.nanoTime();
    compare(Scenario.SINE, SimConfig.defaults());
    // Not a performance assertion: a guard against an accidental quadratic loop.
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(60);
  }
}
