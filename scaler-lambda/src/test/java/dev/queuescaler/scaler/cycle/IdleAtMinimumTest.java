package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target kept warm by min-tasks on an empty queue: it holds at its minimum minute after minute,
 * and like an idle target at zero it has nothing new to store. Platform teams keep one task warm
 * for latency, so this is most of a quiet fleet's minutes.
 */
class IdleAtMinimumTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final SaveRecordingStore store = new SaveRecordingStore();
  private final List<String> saves = store.saves();

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return new ServiceSnapshot(1, 1, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          throw new AssertionError("a warm target on an empty queue sets no count: " + count);
        }
      };

  @Test
  void aTargetHoldingAtItsMinimumOnAnEmptyQueueWritesItsStateOnce() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "warm");
    keys.put("warm/policy", "backlog-per-task");
    keys.put("warm/backlog-per-task", "10");
    keys.put("warm/min-tasks", "1");
    keys.put("warm/sample-interval-seconds", "60");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(0, 0, 0),
                services,
                store,
                decision -> {},
                outcome -> {},
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            1)) {
      for (int minute = 0; minute < 6; minute++) {
        assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
      }
    }

    assertThat(saves)
        .as(
            "its first sample only: a sample at min-tasks with nothing in flight never raises a"
                + " window's highest above what min-tasks already keeps")
        .containsExactly("warm");
  }
}
