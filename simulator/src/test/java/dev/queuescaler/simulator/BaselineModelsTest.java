package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.ScalingParameters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each baseline reproduces its documented behaviour in small, hand-checkable cases. */
class BaselineModelsTest {

  private static final SimConfig CONFIG = SimConfig.defaults();

  /** {@code count} messages at {@code second}, in a run of {@code length} seconds. */
  private static Workload burst(int second, int count, int length) {
    int[] arrivals = new int[length];
    arrivals[second] = count;
    return Workload.of(arrivals, 1.0, 0.0, 1, "test burst");
  }

  @ParameterizedTest(name = "burst at second {0}")
  @ValueSource(ints = {600, 660, 720, 780, 840})
  void theSeedsFirstTaskRunsFiveToTenMinutesAfterABurstWhenDatapointsAreSlow(int at) {
    // The reports behind "5-10 minutes": datapoints 4 minutes late, clock-aligned periods.
    SimConfig slow = new SimConfig(0, 20, 10, 60, 240, 30, 60, 120, true, 60, 42, true);
    Results.PolicyResult seed =
        new Simulation(slow, burst(at, 50, 3600), AlarmStepController.seed()).run();

    assertThat(seed.firstTaskSeconds()).isBetween(300.0, 600.0);
  }

  @ParameterizedTest(name = "burst at second {0}")
  @ValueSource(ints = {600, 660, 720, 780, 840})
  void atTheFastEndTheSeedsFirstTaskRunsTwoToThreeMinutesAfterABurst(int at) {
    // Datapoints a minute late and a sliding window: the alarm fires on the first datapoint that
    // shows the burst; then the launch (30-60 s).
    Results.PolicyResult seed =
        new Simulation(CONFIG, burst(at, 50, 3600), AlarmStepController.seed()).run();

    assertThat(seed.firstTaskSeconds()).isBetween(120.0, 240.0);
  }

  @Test
  void theSeedAddsOneTaskPerCooldown() {
    Results.PolicyResult seed =
        new Simulation(CONFIG, burst(600, 20_000, 3600), AlarmStepController.seed()).run();

    // 20 minutes after its first task it has 5: +1 per 300 s cooldown.
    int firstMinute = (int) Math.ceil((600 + seed.firstTaskSeconds()) / 60);
    assertThat(seed.runningPerMinute()[firstMinute + 20]).isEqualTo(5);
  }

  @Test
  void cdkQueueProcessingNeverScalesOutBelowOneHundredVisible() {
    Results.PolicyResult cdk =
        new Simulation(CONFIG, burst(600, 99, 3600), AlarmStepController.cdkQueueProcessing())
            .run();

    assertThat(cdk.processed()).isZero();
    assertThat(cdk.scalingActions()).isZero();
    assertThat(cdk.maxAgeSeconds()).isEqualTo(3000);
  }

  @Test
  void cdkQueueProcessingAddsFiveAtFiveHundredVisible() {
    Results.PolicyResult cdk =
        new Simulation(CONFIG, burst(600, 800, 3600), AlarmStepController.cdkQueueProcessing())
            .run();

    int firstMinute = (int) Math.ceil((600 + cdk.firstTaskSeconds()) / 60);
    assertThat(cdk.runningPerMinute()[firstMinute + 1]).isEqualTo(5);
  }

  @Test
  void aLargerStepInsideTheCooldownStillApplies() {
    // 150 messages, then 800 more two minutes later: +1 at >= 100 starts the cooldown, and the
    // +5 at >= 500 applies inside it, counting the first step's task (Application Auto Scaling).
    int[] arrivals = new int[3_600];
    arrivals[600] = 150;
    arrivals[720] = 800;
    Workload workload = Workload.of(arrivals, 1.0, 0.0, 1, "two bursts");
    Results.PolicyResult cdk =
        new Simulation(CONFIG, workload, AlarmStepController.cdkQueueProcessing()).run();

    assertThat(cdk.runningPerMinute()[15]).as("5 tasks before the cooldown ends").isEqualTo(5);
  }

  @Test
  void theSeedAsDeployedAlsoScalesOnCpuBeyondOneTaskPerCooldown() {
    Workload load = burst(600, 20_000, 3600);
    Results.PolicyResult steps = new Simulation(CONFIG, load, AlarmStepController.seed()).run();
    Results.PolicyResult deployed =
        new Simulation(CONFIG, load, AlarmStepsAndCpuController.seedAsDeployed()).run();

    // Its queue steps alone add one task per cooldown; the construct's CPU policy beside them
    // doubles a saturated fleet every few minutes.
    int minute = (int) Math.ceil((600 + steps.firstTaskSeconds()) / 60) + 20;
    assertThat(steps.runningPerMinute()[minute]).isEqualTo(5);
    assertThat(deployed.runningPerMinute()[minute]).isGreaterThan(5);
  }

  @Test
  void targetTrackingWaitsForThreeDatapointsAboveTheTarget() {
    Results.PolicyResult tracking =
        new Simulation(CONFIG, burst(600, 5_000, 3600), new TargetTrackingController(100)).run();

    // The step rule starts one task; target tracking itself scales out only once three
    // one-minute datapoints are above the target (and then by proportion, up to max).
    int first = (int) Math.ceil((600 + tracking.firstTaskSeconds()) / 60);
    assertThat(tracking.runningPerMinute()[first]).isEqualTo(1);
    assertThat(tracking.runningPerMinute()[first + 2]).isEqualTo(1);
    assertThat(tracking.runningPerMinute()[first + 6]).isEqualTo(20);
  }

  @Test
  void kedaActivatesFromZeroOnItsNextPollAndDoublesPerSync() {
    Results.PolicyResult keda =
        new Simulation(CONFIG, burst(600, 10_000, 3600), new KedaHpaController(100)).run();

    // Counts are 10 s stale; KEDA polls every 30 s; then a 30-60 s launch.
    assertThat(keda.firstTaskSeconds()).isBetween(40.0, 100.0);
    assertThat(keda.scalingActions()).isGreaterThanOrEqualTo(4); // 1, 5, 10, 20, ... then 0
  }

  @Test
  void ourPolicyScalesToTheFormulaOnItsFirstTickThatSeesTheBacklog() {
    Results.PolicyResult ours =
        new Simulation(
                CONFIG.withTasks(0, 50),
                burst(600, 3_000, 3600),
                new QueueScalerController(
                    SimulatorCli.World.parameters(
                        java.util.Map.of("max-tasks", "50", "backlog-per-task", "100"))))
            .run();

    assertThat(ours.firstTaskSeconds()).isBetween(60.0 + 30, 60.0 + 60);
    assertThat(ours.runningPerMinute()[13]).isEqualTo(30);
  }

  @Test
  void everyPolicyRunsWithTheSameLimits() {
    // A burst that every policy answers with its whole fleet, under max-tasks 3.
    SimConfig three = new SimConfig(0, 3, 10, 60, 240, 30, 60, 120, true, 60, 7);
    ScalingParameters ours = SimulatorCli.World.parameters(java.util.Map.of("max-tasks", "3"));
    List<Comparison.Entry> entries = Comparison.policies(ours);

    assertThat(entries)
        .extracting(Comparison.Entry::name)
        .containsExactly(
            "queue-scaler",
            "seed-alarm-step",
            "cdk-queue-processing",
            "cdk-queue-processing-as-shipped",
            "target-tracking",
            "target-tracking-min1",
            "keda-hpa");
    for (Comparison.Entry entry : entries) {
      if (entry.name().equals("cdk-queue-processing-as-shipped")) {
        continue; // its own limits by design: 1..2, tested below
      }
      Results.PolicyResult result =
          new Simulation(three, burst(60, 50_000, 7_200), entry.controller().get()).run();
      int peak = java.util.Arrays.stream(result.runningPerMinute()).max().orElse(0);
      assertThat(peak).as(entry.name() + " reaches max-tasks and no more").isEqualTo(3);
    }
  }

  @Test
  void theCdkConstructAsShippedStaysWithinItsOwnOneToTwoTasks() {
    Results.PolicyResult shipped =
        new Simulation(CONFIG, burst(60, 50_000, 7_200), AlarmStepsAndCpuController.cdkAsShipped())
            .run();

    int peak = java.util.Arrays.stream(shipped.runningPerMinute()).max().orElse(0);
    int floor = java.util.Arrays.stream(shipped.runningPerMinute()).skip(2).min().orElse(0);
    assertThat(peak).isEqualTo(AlarmStepsAndCpuController.MAX_CAPACITY);
    assertThat(floor)
        .as("never below its minimum once launched")
        .isEqualTo(AlarmStepsAndCpuController.MIN_CAPACITY);
  }

  @Test
  void theCdkConstructsCpuPolicyScalesOutOnBusyTasksAlone() {
    // 60 messages: below the +1 step at 100 visible, but enough to keep one task's slots busy.
    int[] arrivals = new int[3_600];
    for (int s = 0; s < 3_600; s += 10) {
      arrivals[s] = 100;
    }
    Workload busy = Workload.of(arrivals, 1.0, 0.0, 1, "busy");
    Results.PolicyResult shipped =
        new Simulation(CONFIG, busy, AlarmStepsAndCpuController.cdkAsShipped()).run();

    assertThat(java.util.Arrays.stream(shipped.runningPerMinute()).max().orElse(0)).isEqualTo(2);
  }
}
