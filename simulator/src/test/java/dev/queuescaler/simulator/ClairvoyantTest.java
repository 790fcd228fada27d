package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The clairvoyant oracle: a feasible schedule (every message within the SLO), never a bound. */
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
      names = {"STEADY", "SPIKES", "TRICKLE"})
  void startsEveryMessageWithinTheSloAtNoLessThanTheBound(Scenario scenario) {
    List<Results.PolicyResult> results = compare(scenario);
    Results.PolicyResult clairvoyant = row(results, "clairvoyant");

    assertThat(clairvoyant.sloAttainment()).isEqualTo(1.0);
    assertThat(clairvoyant.taskMinutes())
        .isGreaterThanOrEqualTo(row(results, "lower-bound").taskMinutes());
  }

  @Test
  void everyPolicysCostIsARatioToTheLowerBound() {
    List<Results.PolicyResult> results = compare(Scenario.BURST);
    double reference = row(results, "lower-bound").taskMinutes();

    assertThat(reference).isPositive();
    for (Results.PolicyResult r : results) {
      assertThat(r.costRatio()).as(r.policy()).isCloseTo(r.taskMinutes() / reference, within());
    }
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
