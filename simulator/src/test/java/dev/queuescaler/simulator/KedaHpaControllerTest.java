package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** KEDA + HPA at their defaults, second by second against a scripted queue. */
class KedaHpaControllerTest {

  private static final SimConfig CONFIG = SimConfig.defaults();

  @Test
  void theHpaReadsAFreshMetricOnEverySyncNotTheOperatorsLastPoll() {
    // Five messages (one replica's worth), then 1,000 from second 31: the HPA sync at 45 sees
    // them (the operator polls at 30 and 60).
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 1, s -> s >= 31 ? 1_000 : 5, s -> 0)
            .run(new KedaHpaController(100), 50);

    assertThat(world.changes())
        .as("up by max(+4, +100 %%) at the 15 s sync")
        .containsExactly(new ScriptedWorld.Change(45, 5));
  }

  @Test
  void fromZeroOnlyTheOperatorsPollActivates() {
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 0, s -> s >= 31 ? 1_000 : 0, s -> 0)
            .run(new KedaHpaController(100), 61);

    // The HPA is idle at zero replicas: its sync at 45 does nothing; the poll at 60 activates,
    // and the HPA's sync in that same second (modelled on the fast side) scales on at once.
    assertThat(world.changes())
        .containsExactly(new ScriptedWorld.Change(60, 1), new ScriptedWorld.Change(60, 5));
  }

  @Test
  void scalesToZeroACooldownPeriodAfterTheLastActivityItPolled() {
    ScriptedWorld world =
        new ScriptedWorld(CONFIG, 1, s -> s < 100 ? 10 : 0, s -> 0)
            .run(new KedaHpaController(100), 500);

    // Last active poll at 90; the first poll 300 s later is at 390.
    assertThat(world.changes()).containsExactly(new ScriptedWorld.Change(390, 0));
  }
}
