package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Target tracking and its companion step rule, each with its own cooldown. */
class TargetTrackingControllerTest {

  /** Datapoints 4 minutes late, so the cooldowns show against the datapoints' cadence. */
  private static final SimConfig CONFIG =
      new SimConfig(0, 20, 10, 60, 240, 30, 60, 120, true, 60, 42);

  @Test
  void theStepRuleFromZeroDoesNotStartTrackingsCooldown() {
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> 1_000, s -> 0)
            .run(new TargetTrackingController(100), 700);

    // The step rule starts the first task when minute 0's datapoint is published (300 s); three
    // tracking datapoints later (480 s) tracking scales out, not at the step's cooldown end (600
    // s).
    assertThat(world.changes())
        .startsWith(new ScriptedWorld.Change(300, 1), new ScriptedWorld.Change(480, 10));
  }

  @Test
  void deployedWithMinimumOneItNeverStopsTheLastTask() {
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> 0, s -> 0)
            .run(TargetTrackingController.withMinimumOne(100), 3_600);

    assertThat(world.changes()).containsExactly(new ScriptedWorld.Change(0, 1));
    assertThat(world.desired()).isEqualTo(1);
  }
}
