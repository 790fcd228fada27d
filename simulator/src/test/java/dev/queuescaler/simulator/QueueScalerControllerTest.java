package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our controller in the simulation samples the way the Lambda does. */
class QueueScalerControllerTest {

  private static final SimConfig CONFIG = SimConfig.defaults();

  private static QueueScalerController every(int seconds) {
    return new QueueScalerController(
        SimulatorCli.World.parameters(Map.of()), new SamplingPlan(Duration.ofSeconds(seconds)));
  }

  @Test
  void theSettingsLineOfSummaryMdSaysWhetherADrainedQueueWaitsOutTheWindow() {
    // bench/candidate --param scale-in-when-drained=true writes these lines into summary.md beside
    // the defaults' run: a reader must be able to tell the two apart.
    String drained =
        new QueueScalerController(
                SimulatorCli.World.parameters(Map.of("scale-in-when-drained", "true")))
            .settings();
    String defaults = new QueueScalerController(SimulatorCli.World.parameters(Map.of())).settings();

    assertThat(drained).isNotEqualTo(defaults).contains("drained");
  }

  @Test
  void anActiveTargetIsDecidedEverySampleIntervalWithinTheMinute() {
    // 100 more messages every 15 s: one more task each sample.
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> 100L * (s / 15 + 1), s -> 0).run(every(15), 60);

    assertThat(world.changes())
        .containsExactly(
            new ScriptedWorld.Change(0, 1),
            new ScriptedWorld.Change(15, 2),
            new ScriptedWorld.Change(30, 3),
            new ScriptedWorld.Change(45, 4));
  }

  @Test
  void anIdleTargetIsNotSampledAgainUntilTheNextInvocation() {
    // Empty at the invocation's start, busy from second 10: seen at 60, not at 15.
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> s >= 10 ? 500 : 0, s -> 0).run(every(15), 70);

    assertThat(world.changes()).containsExactly(new ScriptedWorld.Change(60, 5));
  }

  @Test
  void anIdleTargetWithIdleChecksIsSeenAtTheNextCheck() {
    // As deployed: an idle target's queue is read at 15, 30 and 45 s; the message of second 10 is
    // seen at 15.
    QueueScalerController checked =
        new QueueScalerController(
            "queue-scaler",
            SimulatorCli.World.parameters(Map.of()),
            new OurOptions(
                new SamplingPlan(Duration.ofSeconds(15)),
                new IdleChecks(Duration.ofSeconds(15)),
                java.util.Optional.empty()));
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> s >= 10 ? 500 : 0, s -> 0).run(checked, 70);

    assertThat(world.changes()).containsExactly(new ScriptedWorld.Change(15, 5));
  }
}
