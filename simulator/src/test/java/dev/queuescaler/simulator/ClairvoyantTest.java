package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The clairvoyant bound: feasible (every message within the SLO) and cheaper than any policy. */
class ClairvoyantTest {

  private static List<Results.PolicyResult> compare(Scenario scenario) {
    SimConfig config = SimConfig.defaults();
    Workload workload =
        Workload.of(scenario.arrivals(config.seed()), 1.0, 0.5, config.seed(), "test");
    return Comparison.run(
        config,
        workload,
        Comparison.policies(SimulatorCli.World.parameters(Map.of())),
        new ArrayList<>());
  }

  private static Results.PolicyResult row(List<Results.PolicyResult> results, String policy) {
    return results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Scenario.class,
      names = {"BURST", "STEADY", "SPIKES", "TRICKLE"})
  void startsEveryMessageWithinTheSloAtNoMoreCostThanAnyPolicy(Scenario scenario) {
    List<Results.PolicyResult> results = compare(scenario);
    Results.PolicyResult clairvoyant = row(results, "clairvoyant");

    if (scenario != Scenario.BURST) {
      // (A 10,000-message burst cannot all start within 60 s on 20 tasks: nobody can.)
      assertThat(clairvoyant.sloAttainment()).isEqualTo(1.0);
    }
    assertThat(clairvoyant.costRatio()).isEqualTo(1.0);
    assertThat(clairvoyant.taskMinutes())
        .isGreaterThanOrEqualTo(row(results, "lower-bound").taskMinutes());
    for (Results.PolicyResult r : results) {
      if (r.sloAttainment() >= 1.0 && !r.policy().equals("lower-bound")) {
        // Any policy that also met the SLO for every message paid at least as much.
        assertThat(r.taskMinutes())
            .as(r.policy())
            .isGreaterThanOrEqualTo(clairvoyant.taskMinutes());
      }
    }
  }

  @Test
  void everyPolicysCostIsARatioToTheClairvoyantBound() {
    List<Results.PolicyResult> results = compare(Scenario.BURST);
    double reference = row(results, "clairvoyant").taskMinutes();

    for (Results.PolicyResult r : results) {
      assertThat(r.costRatio()).as(r.policy()).isCloseTo(r.taskMinutes() / reference, within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
