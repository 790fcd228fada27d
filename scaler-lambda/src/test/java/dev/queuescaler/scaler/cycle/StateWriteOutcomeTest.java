package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A state write whose call fails is not always a write that did not happen: DynamoDB may have
 * applied the conditional write before its answer was lost (the SDK's last attempt timed out). Its
 * record of an action that never ran must not hold the target afterwards.
 */
class StateWriteOutcomeTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryDecisionStore stored = new InMemoryDecisionStore();
  private int desired;
  private int answersToLose;

  /** Applies each write; the first {@code answersToLose} then fail as a lost answer. */
  private final DecisionStore store =
      new DecisionStore() {
        @Override
        public StoredState load(TargetName target) {
          return stored.load(target);
        }

        @Override
        public Optional<StoredState> save(
            TargetName target,
            long expectedVersion,
            ScalingHistory next,
            Optional<LastAction> lastAction) {
          Optional<StoredState> saved = stored.save(target, expectedVersion, next, lastAction);
          if (answersToLose > 0) {
            answersToLose--;
            throw new IllegalStateException("PutItem: Client execution did not complete (timeout)");
          }
          return saved;
        }
      };

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef service) {
          return new ServiceSnapshot(desired, desired, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef service, int count) {
          desired = count;
        }
      };

  private CycleReport invocation() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/scale-out-cooldown-seconds", "120");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(50, 0, 0),
                services,
                store,
                decision -> {},
                outcome -> {},
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            1)) {
      return cycle.run(CycleRequest.ALL_TARGETS);
    }
  }

  @Test
  void aScaleOutWhoseStateWriteLostItsAnswerStartsNoCooldownWhenItsUpdateNeverRan() {
    answersToLose = 1;
    CycleReport first = invocation();
    assertThat(first.outcomes().get(0).decision().reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(desired).as("the first invocation set nothing").isZero();

    // The next minute: 50 messages still wait and no task runs.
    clock.advance(Duration.ofSeconds(60));
    DecisionRecord next = invocation().outcomes().get(0).decision();

    assertThat(next.action())
        .as(
            "a scale-out that never ran starts no cooldown (the next minute said %s %s)",
            next.action(), next.reason())
        .isEqualTo(Action.SCALE_OUT);
    assertThat(desired).isEqualTo(5);
  }
}
