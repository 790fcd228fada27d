package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lower bound is a bound: no fleet that starts every message within an age costs less. Every
 * policy, every oracle and every setting tried is held to the bound at its own maximum age.
 */
class LowerBoundTest {

  /** Rows that keep a task from before the traffic (minimum 1): their launch is not billed. */
  private static final Set<String> KEPT_FROM_THE_LEAD_IN =
      Set.of("cdk-queue-processing-as-shipped", "target-tracking-min1");

  private static Workload once(int second, int count, int length) {
    int[] arrivals = new int[length];
    arrivals[second] = count;
    return Workload.of(arrivals, 1.0, 0.0, 1, "test");
  }

  @org.junit.jupiter.api.Test
  void anIsolatedMessageCostsAMinuteOfOneTask() {
    assertThat(LowerBound.taskSeconds(SimConfig.defaults(), once(100, 1, 600), 60)).isEqualTo(60.0);
  }

  @org.junit.jupiter.api.Test
  void messagesTwentySecondsApartAreCheapestAsOneMinuteTaskPerFiveOrSix() {
    int[] arrivals = new int[2_000];
    for (int s = 100; s <= 1_100; s += 20) {
      arrivals[s] = 1;
    }
    Workload workload = Workload.of(arrivals, 1.0, 0.0, 1, "test");

    // 51 messages. A task that runs from the first one's deadline to the last one's arrival
    // serves k of them in max(60, 30 + 20 (k - 1) - 60) s: a minute for five, 70 s for six,
    // against 970 s for one task through all 51. Six sixes and three fives: 600 s.
    assertThat(LowerBound.taskSeconds(SimConfig.defaults(), workload, 60)).isEqualTo(600.0);
  }

  @org.junit.jupiter.api.Test
  void aBurstNeedsItsWholeFleetAtOnceAndPaysEachLaunch() {
    // 1,200 one-second messages to start within 60 s: 1,200 slot-seconds in 61 s on 10 slots a
    // task is 2 tasks at once; the work (120 task-seconds) and two launches (30 s each).
    SimConfig config = SimConfig.defaults();
    Workload workload = once(100, 1_200, 600);

    assertThat(LowerBound.peakTasks(config, workload, 60)).isEqualTo(2);
    assertThat(LowerBound.taskSeconds(config, workload, 60)).isEqualTo(120 + 2 * 30.0);
    // Within 10 s: 1,200 in 11 s is 11 tasks, each billed a minute at least.
    assertThat(LowerBound.peakTasks(config, workload, 10)).isEqualTo(11);
    assertThat(LowerBound.taskSeconds(config, workload, 10)).isEqualTo(11 * 60.0);
  }

  @org.junit.jupiter.api.Test
  void aLongerAgeNeverRaisesTheBound() {
    Workload workload =
        Workload.of(Scenario.SPIKES.arrivals(3), 1.0, 0.5, 3, "spikes").withIdleLeadIn(600);
    double previous = Double.POSITIVE_INFINITY;
    for (int age : new int[] {0, 10, 30, 60, 120, 300}) {
      double bound = LowerBound.taskSeconds(SimConfig.defaults(), workload, age);
      assertThat(bound).as("age " + age).isLessThanOrEqualTo(previous).isPositive();
      previous = bound;
    }
  }

  @ParameterizedTest(name = "{0}, seed {1}, reads {2} s late, backlog-per-task {3}")
  @CsvSource({
    "BURST, 42, 10, 100",
    "BURST, 1, 0, 3",
    "STEADY, 42, 10, 100",
    "STEADY, 2, 60, 10",
    "SPIKES, 42, 30, 100",
    "SPIKES, 3, 10, 20",
    "TRICKLE, 42, 0, 100",
    "TRICKLE, 4, 10, 1",
    "RAMP, 5, 10, 40",
  })
  void noPolicyOrOracleBeatsTheBoundAtItsOwnMaximumAge(
      Scenario scenario, long seed, int lag, int target) {
    SimConfig config = new SimConfig(0, 20, 10, lag, 60, 30, 60, 120, true, 60, seed);
    Workload workload = Workload.of(scenario.arrivals(seed), 1.0, 0.5, seed, "t");

    assertEveryRowAtLeastTheBound(config, workload, target);
  }

  /** --launch-seconds takes any range up to 10 minutes: the bound holds at each of them. */
  @ParameterizedTest(name = "{0}, seed {1}, tasks start in {2}-{3} s")
  @CsvSource({
    "BURST, 42, 0, 0",
    "BURST, 1, 600, 600",
    "STEADY, 2, 15, 30",
    "SPIKES, 3, 120, 240",
    "TRICKLE, 42, 600, 600",
    "TRICKLE, 4, 0, 600",
    "RAMP, 5, 60, 120",
  })
  void noPolicyOrOracleBeatsTheBoundWhateverTheLaunchRange(
      Scenario scenario, long seed, int launchMin, int launchMax) {
    SimConfig config = new SimConfig(0, 20, 10, 10, 60, launchMin, launchMax, 120, true, 60, seed);
    Workload workload = Workload.of(scenario.arrivals(seed), 1.0, 0.5, seed, "t");

    assertEveryRowAtLeastTheBound(config, workload, 100);
  }

  @Property(tries = 12)
  void noPolicyOrOracleBeatsTheBoundOnSparseRandomTraffic(
      @ForAll("sparse") int[] arrivals,
      @ForAll @IntRange(min = 0, max = 60) int lag,
      @ForAll("targets") int target) {
    SimConfig config = new SimConfig(0, 20, 10, lag, 60, 30, 60, 120, true, 60, 7);
    assertEveryRowAtLeastTheBound(config, Workload.of(arrivals, 1.0, 0.5, 7, "random"), target);
  }

  @Provide
  Arbitrary<int[]> sparse() {
    // Mostly quiet seconds, some single messages, a few bursts: where presence and volume meet.
    Arbitrary<Integer> second =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(90, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(9, Arbitraries.integers().between(1, 5)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(50, 800)));
    return second.array(int[].class).ofSize(1_800);
  }

  @Provide
  Arbitrary<Integer> targets() {
    return Arbitraries.of(3, 10, 40, 200);
  }

  private static void assertEveryRowAtLeastTheBound(
      SimConfig config, Workload workload, int target) {
    ScalingParameters ours =
        SimulatorCli.World.parameters(Map.of("backlog-per-task", Integer.toString(target)));
    ScalingParameters backlogPerTask =
        SimulatorCli.World.parameters(
            Map.of("backlog-per-task", Integer.toString(target), "policy", "backlog-per-task"));
    List<Results.PolicyResult> rows =
        Comparison.run(
            config,
            workload,
            Comparison.policies(
                ours, Optional.of(backlogPerTask), new SamplingPlan(Duration.ofSeconds(15))),
            new ArrayList<>());
    Workload measured = workload.withIdleLeadIn(Comparison.LEAD_IN_SECONDS);
    for (Results.PolicyResult row : rows) {
      if (row.policy().equals("lower-bound") || KEPT_FROM_THE_LEAD_IN.contains(row.policy())) {
        continue;
      }
      double bound = LowerBound.taskSeconds(config, measured, row.maxAgeSeconds()) / 60;
      assertThat(row.taskMinutes())
          .as(row.policy() + " (max age " + row.maxAgeSeconds() + " s)")
          .isGreaterThanOrEqualTo(bound - 1e-6);
      if (row.sloAttainment() >= 1.0) {
        assertThat(row.costRatio()).as(row.policy() + " met the SLO").isGreaterThanOrEqualTo(1);
      }
    }
  }
}
