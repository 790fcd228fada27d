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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * An UpdateService whose call fails is not always an update that did not happen: ECS may have
 * applied it before the answer was lost, or still be applying it. Only ECS refusing the request (a
 * 4xx, throttling included, on every attempt) proves it was not applied: then its record is taken
 * back. Otherwise the record stands, and the service is read back to tell an update that has
 * already landed.
 */
class UpdateOutcomeTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private int desired;
  private int describes;

  private CycleReport runWith(boolean appliesBeforeFailing) {
    return runWith(
        appliesBeforeFailing, () -> new IllegalStateException("UpdateService: Read timed out"));
  }

  private CycleReport runWith(boolean appliesBeforeFailing, Supplier<RuntimeException> failure) {
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef service) {
            describes++;
            return new ServiceSnapshot(desired, desired, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef service, int count) {
            if (appliesBeforeFailing) {
              desired = count;
            }
            throw failure.get();
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
  void anUpdateWhoseCallTimedOutAndThatEcsDoesNotShowYetKeepsItsRecord() {
    CycleReport report = runWith(false);

    DecisionRecord line = report.outcomes().get(0).decision();
    assertThat(line.action()).isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(line.desired()).as("0 or 5: unknown").isEmpty();
    assertThat(line.errors()).anyMatch(e -> e.contains("its outcome is unknown"));
    assertThat(report.failed()).as("a failed call is a failed cycle").isTrue();
    StoredState stored = store.load(new TargetName("orders"));
    assertThat(stored.history().lastScaleOut()).as("ECS may still apply it").isPresent();
    assertThat(stored.lastAction()).map(LastAction::desired).contains(5);
    assertThat(desired).isZero();
  }

  @Test
  void anUpdateEcsRefusedIsTakenBackWithoutReadingTheServiceAgain() {
    CycleReport report =
        runWith(
            false,
            () ->
                new CallFailure(
                    "UpdateService on workers/orders-svc failed: ThrottlingException: Rate"
                        + " exceeded",
                    null,
                    FailureKind.PASSING,
                    true));

    DecisionRecord line = report.outcomes().get(0).decision();
    assertThat(line.action()).isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(line.desired()).as("the count ECS kept").contains(0);
    StoredState stored = store.load(new TargetName("orders"));
    assertThat(stored.history().lastScaleOut()).as("no cooldown for a scale refused").isEmpty();
    assertThat(stored.history().burstStarts()).as("nor a burst start").isEmpty();
    assertThat(stored.lastAction()).as("no pending count").isEmpty();
    assertThat(describes).as("the read the decision was made on, no read-back").isEqualTo(1);
    assertThat(desired).isZero();
  }
}
