package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntToLongFunction;
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
  void theSettingsLineSaysWhetherTheLastTaskStopsAtOnceAfterLongPauses() {
    String afterLongPauses =
        new QueueScalerController(
                SimulatorCli.World.parameters(Map.of("scale-in-after-long-pauses", "true")))
            .settings();
    String defaults = new QueueScalerController(SimulatorCli.World.parameters(Map.of())).settings();

    assertThat(afterLongPauses).isNotEqualTo(defaults).contains("long pauses");
  }

  @Test
  void afterThreeLongPausesTheLastTaskStopsOnceTheQueueIsDrained() {
    // Five messages for 70 s every 8 minutes (an idle target is read once a minute here): each
    // pause, about 7 minutes, outlasts the 300 s delay to zero. The fourth batch, at 1,440 s, comes
    // after three of them.
    IntToLongFunction batches = s -> s % 480 < 70 ? 5 : 0;
    ScriptedWorld withKey =
        new ScriptedWorld(CONFIG, 0, batches, s -> 0)
            .run(
                new QueueScalerController(
                    SimulatorCli.World.parameters(Map.of("scale-in-after-long-pauses", "true"))),
                2_000);
    ScriptedWorld without =
        new ScriptedWorld(CONFIG, 0, batches, s -> 0)
            .run(new QueueScalerController(SimulatorCli.World.parameters(Map.of())), 2_000);

    assertThat(stopAfter(withKey, 1_440)).isLessThan(1_640);
    assertThat(stopAfter(without, 1_440)).isGreaterThan(1_750);
    // Before the third pause ends both wait out the delay.
    assertThat(stopAfter(withKey, 960)).isEqualTo(stopAfter(without, 960)).isGreaterThan(1_260);
  }

  /** The second at which the fleet next went to zero after {@code second}. */
  private static int stopAfter(ScriptedWorld world, int second) {
    return world.changes().stream()
        .filter(change -> change.second() > second && change.desired() == 0)
        .mapToInt(ScriptedWorld.Change::second)
        .findFirst()
        .orElse(Integer.MAX_VALUE);
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
