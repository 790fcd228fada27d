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
 * for latency, so this is most of a quiet fleet's minutes. The same for a target at its floor with
 * messages sitting and none in flight (min-tasks serves them, or they are below
 * activation-backlog): the pauses of scale-in-after-long-pauses add no write there, the key off or
 * on (reviews found every such sample written, first with the key off, then with it on).
 */
class IdleAtMinimumTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final SaveRecordingStore store = new SaveRecordingStore();
  private final List<String> saves = store.saves();

  private static ServiceScaler fixed(int tasks) {
    return new ServiceScaler() {
      @Override
      public ServiceSnapshot describe(ServiceRef ref) {
        return new ServiceSnapshot(tasks, tasks, 0);
      }

      @Override
      public void setDesiredCount(ServiceRef ref, int count) {
        throw new AssertionError("a target at its floor sets no count: " + count);
      }
    };
  }

  @Test
  void aTargetHoldingAtItsMinimumOnAnEmptyQueueWritesItsStateOnce() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "warm");
    keys.put("warm/policy", "backlog-per-task");
    keys.put("warm/backlog-per-task", "10");
    keys.put("warm/min-tasks", "1");
    keys.put("warm/sample-interval-seconds", "60");
    runSixMinutes(keys, new QueueSnapshot(0, 0, 0), 1);

    assertThat(saves)
        .as(
            "its first sample only: a sample at min-tasks with nothing in flight never raises a"
                + " window's highest above what min-tasks already keeps")
        .containsExactly("warm");
  }

  @Test
  void aTargetAtMinTasksWithAFewMessagesVisibleWritesItsStateOnce() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "warm");
    keys.put("warm/policy", "backlog-per-task");
    keys.put("warm/backlog-per-task", "10");
    keys.put("warm/min-tasks", "1");
    keys.put("warm/sample-interval-seconds", "60");

    runSixMinutes(keys, new QueueSnapshot(5, 0, 0), 1);

    assertThat(saves).as("one write, as before the pauses").containsExactly("warm");
  }

  @Test
  void anIdleTargetWithMessagesBelowActivationWritesItsStateOnce() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "sleepy");
    keys.put("sleepy/policy", "backlog-per-task");
    keys.put("sleepy/activation-backlog", "5");
    keys.put("sleepy/sample-interval-seconds", "60");

    runSixMinutes(keys, new QueueSnapshot(2, 0, 0), 0);

    assertThat(saves).as("one write, as before the pauses").containsExactly("sleepy");
  }

  @Test
  void withTheKeyOnAnIdleTargetWithMessagesBelowActivationWritesItsStateOnce() {
    // A review found every sample written with the key on: the time of the last sample that saw a
    // message moved each sample. The pauses now change only when the queue's side changes.
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "sleepy");
    keys.put("sleepy/policy", "backlog-per-task");
    keys.put("sleepy/activation-backlog", "5");
    keys.put("sleepy/sample-interval-seconds", "60");
    keys.put("sleepy/scale-in-after-long-pauses", "true");

    runSixMinutes(keys, new QueueSnapshot(2, 0, 0), 0);

    assertThat(saves).as("one write, as with the key off").containsExactly("sleepy");
  }

  private void runSixMinutes(Map<String, String> keys, QueueSnapshot read, int tasks) {
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> read,
                fixed(tasks),
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
  }
}
