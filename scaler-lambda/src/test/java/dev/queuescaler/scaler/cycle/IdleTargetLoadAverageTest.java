package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A target at zero on an empty queue is decided once a minute, by the schedule's invocation (its
 * idle checks read the queue and decide nothing while it stays empty). Its quiet minutes are stored
 * by the first of them, but the load term's 60 s mean in flight must still count the samples that
 * were taken: one a minute, not one every sample-interval-seconds.
 */
class IdleTargetLoadAverageTest {

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final AtomicReference<QueueSnapshot> queue =
      new AtomicReference<>(new QueueSnapshot(0, 0, 0));
  private final List<TargetOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

  private final ServiceScaler atZero =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return new ServiceSnapshot(0, 0, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {}
      };

  @Test
  void theFirstBusySampleAfterQuietMinutesAtZeroAveragesTheOneSampleOfItsMinute() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "batch");
    keys.put("batch/policy", "backlog-and-load");
    keys.put("batch/backlog-per-task", "100");
    keys.put("batch/task-concurrency", "1");
    keys.put("batch/target-utilization-percent", "100");
    keys.put("batch/max-tasks", "50");
    keys.put("batch/sample-interval-seconds", "15");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> queue.get(),
                atZero,
                new InMemoryDecisionStore(),
                decision -> {},
                outcomes::add,
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            1)) {
      // The schedule's invocations at 12:00, 12:01, 12:02 and 12:03 find the queue empty.
      for (int minute = 0; minute < 4; minute++) {
        if (minute > 0) {
          clock.advance(Duration.ofMinutes(1));
        }
        assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
      }
      // 45 s into the minute (an idle check) the queue is no longer empty.
      clock.advance(Duration.ofSeconds(45));
      queue.set(new QueueSnapshot(10, 40, 0));
      assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
    }

    assertThat(outcomes).hasSize(5);
    assertThat(outcomes.get(4).decision().recommended())
        .as(
            "the samples of the last 60 s are 12:03:00's (nothing in flight) and this one (40):"
                + " a mean of 20, 20 tasks at one message each; a quiet minute is one sample")
        .contains(20);
  }
}
