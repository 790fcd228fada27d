package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An UpdateService whose call fails is not always an update that did not happen: ECS may have
 * applied it before the answer was lost. The cycle reads the service back before taking its record
 * back.
 */
class UpdateOutcomeTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private int desired;

  private CycleReport runWith(boolean appliesBeforeFailing) {
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef service) {
            return new ServiceSnapshot(desired, desired, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef service, int count) {
            if (appliesBeforeFailing) {
              desired = count;
            }
            throw new IllegalStateException("UpdateService: Read timed out");
          }
        };
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/scale-out-cooldown-seconds", "60");
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
  void anUpdateAppliedBeforeItsAnswerWasLostStandsWithItsCooldown() {
    CycleReport report = runWith(true);

    DecisionRecord line = report.outcomes().get(0).decision();
    assertThat(line.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(line.errors()).anyMatch(e -> e.contains("ECS shows desired 5"));
    StoredState stored = store.load(new TargetName("orders"));
    assertThat(stored.history().lastScaleOut()).as("its cooldown runs").isPresent();
    assertThat(stored.lastAction()).map(LastAction::desired).contains(5);
  }

  @Test
  void anUpdateThatDidNotApplyIsTakenBack() {
    CycleReport report = runWith(false);

    assertThat(report.outcomes().get(0).decision().reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(store.load(new TargetName("orders")).history().lastScaleOut()).isEmpty();
    assertThat(desired).isZero();
  }
}
