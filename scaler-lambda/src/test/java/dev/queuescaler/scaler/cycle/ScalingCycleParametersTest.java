package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * How the cycle takes its targets' parameters as the Lambda reads them (a read model, a changed
 * target's path read again): a change that cannot be read affects its own target only.
 */
class ScalingCycleParametersTest {

  private static final TargetName ORDERS = new TargetName("orders");
  private static final TargetName BILLING = new TargetName("billing");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<TargetOutcome> lines = new ArrayList<>();
  private final Map<TargetName, Instant> changed = new HashMap<>();

  /** Pages of three: billing's keys fill the first, so a walk of one page a cycle stays there. */
  private final InMemoryParameterPages pages = new InMemoryParameterPages(clock, 3, Duration.ZERO);

  private final Map<String, String> ssm = pages.stored;

  private final ParameterChanges changes =
      new ParameterChanges() {
        @Override
        public Recorded recorded() {
          return new Recorded(Optional.empty(), changed);
        }

        @Override
        public void recordChange(Instant at, Optional<TargetName> target) {
          changed.put(target.orElseThrow(), at);
        }
      };

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef service) {
          int count = desired.getOrDefault(service.service(), 0);
          return new ServiceSnapshot(count, count, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef service, int count) {
          desired.put(service.service(), count);
        }
      };

  private ScalingCycle cycle() {
    return new ScalingCycle(
        new ScalingCycle.Ports(
            new ParameterReadModel(pages, ParameterMirror.inMemory(4), changes, clock, 1),
            url -> new QueueSnapshot(100, 0, 0),
            services,
            new InMemoryDecisionStore(),
            decision -> {},
            lines::add,
            OperatorLog.NONE,
            Tracing.NONE,
            clock),
        1);
  }

  private DecisionRecord lastLine(TargetName target) {
    return lines.stream()
        .map(TargetOutcome::decision)
        .filter(d -> d.target().equals(target.value()))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no line for " + target + " in " + lines));
  }

  @Test
  void aTargetWhoseChangeCannotBeReadKeepsItsValuesAndSaysSoWhileTheOthersApplyTheirs() {
    FixedParameters.putTarget(ssm, "orders");
    FixedParameters.putTarget(ssm, "billing");
    try (ScalingCycle cycle = cycle()) {
      cycle.run(CycleRequest.ALL_TARGETS);
      assertThat(desired).containsEntry("orders-svc", 1).containsEntry("billing-svc", 1);

      ssm.put("orders/enabled", "false");
      ssm.put("orders/backlog-per-task", "10");
      ssm.put("billing/backlog-per-task", "10");
      changes.recordChange(clock.instant(), Optional.of(ORDERS));
      changes.recordChange(clock.instant(), Optional.of(BILLING));
      pages.unreadableTarget = Optional.of(BILLING);
      clock.advance(Duration.ofSeconds(60));
      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(lastLine(ORDERS).reason().name()).as("its change applied").isEqualTo("DISABLED");
      DecisionRecord billing = lastLine(BILLING);
      assertThat(billing.desired()).as("on the values read before").contains(1);
      assertThat(billing.errors()).anySatisfy(e -> assertThat(e).contains("ThrottlingException"));
      assertThat(report.failures())
          .singleElement()
          .asString()
          .startsWith("billing: ")
          .contains("ThrottlingException");

      pages.unreadableTarget = Optional.empty();
      clock.advance(Duration.ofSeconds(60));
      report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(report.failed()).isFalse();
      assertThat(desired).as("read again, and applied").containsEntry("billing-svc", 10);
      assertThat(desired).as("still disabled").containsEntry("orders-svc", 1);
    }
  }
}
