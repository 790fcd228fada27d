package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.cycle.DecisionStore;
import dev.queuescaler.scaler.cycle.InMemoryDecisionStore;
import dev.queuescaler.scaler.cycle.LastAction;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ParameterSource;
import dev.queuescaler.scaler.cycle.QueueProbe;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.cycle.ServiceScaler;
import dev.queuescaler.scaler.cycle.StoredState;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Lambda's deadline against calls that take what the production clients allow them: every call
 * here takes {@link AwsClients#WORST_CALL} of virtual time. An UpdateService may only start when it
 * can end before the function is killed.
 */
class DeadlineBudgetTest {

  @Test
  void aCallIsBudgetedAtItsPacedWaitPlusTheSdkCallTimeout() {
    assertThat(AwsClients.overrides(List.of()).apiCallTimeout()).contains(AwsClients.CALL_TIMEOUT);
    assertThat(AwsClients.WORST_CALL)
        .isEqualTo(AwsClients.PACED_WAIT.plus(AwsClients.CALL_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void anUpdateStartsOnlyWhenItCanFinishBeforeTheFunctionIsKilled() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    Instant killedAt = clock.instant().plusSeconds(90);
    List<Instant[]> updates = new ArrayList<>();
    QueueProbe slowQueue =
        url -> {
          clock.advance(AwsClients.WORST_CALL);
          return new QueueSnapshot(1_000, 0, 0);
        };
    ServiceScaler slowService =
        new ServiceScaler() {
          private int desired;

          @Override
          public ServiceSnapshot describe(ServiceRef service) {
            clock.advance(AwsClients.WORST_CALL);
            return new ServiceSnapshot(desired, desired, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef service, int count) {
            Instant started = clock.instant();
            clock.advance(AwsClients.WORST_CALL);
            updates.add(new Instant[] {started, clock.instant()});
            desired = count;
          }
        };
    InMemoryDecisionStore memory = new InMemoryDecisionStore();
    DecisionStore slowStore =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            clock.advance(AwsClients.WORST_CALL);
            return memory.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
            clock.advance(AwsClients.WORST_CALL);
            return memory.save(target, expected, next, last);
          }
        };
    ParameterSource oneTarget =
        new ParameterSource() {
          @Override
          public Map<String, String> readAll() {
            return Map.of(
                "orders/queue-url", "https://sqs.local/0/orders",
                "orders/cluster", "workers",
                "orders/service", "orders-svc",
                "orders/max-tasks", "20");
          }

          @Override
          public String describe() {
            return "/queue-scaler";
          }
        };

    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                oneTarget,
                slowQueue,
                slowService,
                slowStore,
                decision -> {},
                outcome -> {},
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                clock::advanceTo),
            1,
            AwsClients.WORST_CALL)) {
      // Every call takes its worst: the batched read, the load and the queue read leave 30 s,
      // too little for a save and an update at 20 s each.
      CycleReport killed = cycle.run(CycleRequest.ALL_TARGETS.by(Deadline.at(killedAt)));

      assertThat(updates).as("no update that would outlive the function").isEmpty();
      assertThat(killed.outcomes())
          .singleElement()
          .extracting(o -> o.decision().reason())
          .isEqualTo(Reason.OUT_OF_TIME);

      // With 120 s the same calls fit: it acts, and the update ends before the deadline.
      Instant later = clock.instant().plusSeconds(120);
      cycle.run(CycleRequest.ALL_TARGETS.by(Deadline.at(later)));

      assertThat(updates)
          .singleElement()
          .satisfies(update -> assertThat(update[1]).isBefore(later));
    }
  }
}
