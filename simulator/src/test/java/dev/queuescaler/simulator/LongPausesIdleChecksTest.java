package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.IdleChecks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * With idle checks every 26-30 s, a batch woken by a check is next sampled by the next scheduled
 * invocation 30-34 s later. A review found that recorded as a pause inside one busy spell: each
 * batch then added a real pause and a short one, the last three were never mostly long, and the key
 * never acted.
 */
class LongPausesIdleChecksTest {

  private static final SimConfig CONFIG = SimConfig.defaults();

  /** Messages visible 20 s to 90 s past every eighth minute: pauses of about 7 minutes. */
  private static final IntToLongFunction BATCHES = s -> s % 480 >= 20 && s % 480 < 90 ? 5 : 0;

  private static int fourthBatchStop(int idleCheckSeconds) {
    QueueScalerController ours =
        new QueueScalerController(
            "queue-scaler",
            SimulatorCli.World.parameters(Map.of("scale-in-after-long-pauses", "true")),
            new OurOptions(
                QueueScalerController.DEFAULT_SAMPLING,
                new IdleChecks(Duration.ofSeconds(idleCheckSeconds)),
                Optional.empty()));
    ScriptedWorld world = new ScriptedWorld(CONFIG, 0, BATCHES, s -> 0).run(ours, 2_000);
    return world.changes().stream()
        .filter(change -> change.second() > 1_440 && change.desired() == 0)
        .mapToInt(ScriptedWorld.Change::second)
        .findFirst()
        .orElse(Integer.MAX_VALUE);
  }

  @Test
  void atIdleChecksEveryFifteenSecondsTheFourthBatchsTaskStopsAtOnce() {
    assertThat(fourthBatchStop(15)).isLessThan(1_700);
  }

  @Test
  void atIdleChecksEveryTwentySevenSecondsTheFourthBatchsTaskStopsAtOnceToo() {
    assertThat(fourthBatchStop(27)).isLessThan(1_700);
  }
}
