package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A round's shared steps failing never fails the round's targets. */
class ScalingCycleRoundsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final List<TargetOutcome> lines = new ArrayList<>();

  private final ServiceScaler servicesWhoseBatchBreaks =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef service) {
          int count = desired.getOrDefault(service.service(), 0);
          return new ServiceSnapshot(count, count, 0);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> services) {
          throw new IllegalStateException("batch broke");
        }

        @Override
        public void setDesiredCount(ServiceRef service, int count) {
          desired.put(service.service(), count);
        }
      };

  private final OperatorLog log =
      new OperatorLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void error(String message) {
          errors.add(message);
        }
      };

  @Test
  void aBrokenBatchedServiceReadLeavesEachTargetToReadItsOwn() {
    ParameterSource parameters =
        new ParameterSource() {
          @Override
          public Map<String, String> readAll() {
            return Map.of(
                "orders/queue-url", "https://sqs.local/0/orders",
                "orders/cluster", "workers",
                "orders/service", "orders-svc");
          }

          @Override
          public String describe() {
            return "/queue-scaler";
          }
        };
    QueueProbe queues = url -> new QueueSnapshot(250, 0, 0);
    DecisionEvents brokenBus =
        decision -> {
          throw new IllegalStateException("bus down");
        };

    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                parameters,
                queues,
                servicesWhoseBatchBreaks,
                new InMemoryDecisionStore(),
                brokenBus,
                lines::add,
                log,
                Tracing.NONE,
                clock),
            1)) {
      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(desired).containsEntry("orders-svc", 3);
      assertThat(report.failed()).isFalse();
      assertThat(errors).anyMatch(e -> e.contains("batched service read failed"));
      assertThat(lines)
          .singleElement()
          .satisfies(
              line -> assertThat(line.decision().errors()).anyMatch(e -> e.contains("bus down")));
    }
  }
}
