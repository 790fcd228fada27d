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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The decision line's {@code running} and {@code pending}, and the {@code RunningTasks} metric the
 * stack's dashboard graphs against {@code DesiredTasks}, are what an operator reads to see whether
 * the tasks a scale-out asked for started. A count the scaler remembers instead of reading (its own
 * update, for up to a sweep) must not report running tasks it did not see.
 */
class RememberedRunningCountTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final AtomicInteger desired = new AtomicInteger(5);
  private final List<TargetOutcome> lines = Collections.synchronizedList(new ArrayList<>());

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          // ECS starts what was asked for at once: running always equals desired.
          return new ServiceSnapshot(desired.get(), desired.get(), 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired.set(count);
        }
      };

  @Test
  void theRunningCountReportedAfterAScaleOutIsOneTheScalerSawNotTheOneBeforeIt() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/sample-interval-seconds", "60");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(100, 0, 0),
                services,
                new InMemoryDecisionStore(),
                decision -> {},
                lines::add,
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            1)) {
      for (int minute = 0; minute < 5; minute++) {
        assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
      }
    }

    assertThat(lines.get(0).decision().desired()).as("the scale-out").contains(10);
    assertThat(lines.subList(1, lines.size()))
        .as("ECS runs 10 tasks from the scale-out on; no line may say 5 are running")
        .allSatisfy(
            line -> assertThat(line.decision().running()).isIn(Optional.of(10), Optional.empty()));
  }
}
