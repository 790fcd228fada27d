package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An UpdateService the SDK gave up on (a timeout, a 5xx, a connection reset) may still be under way
 * at ECS, and DescribeServices is eventually consistent: a read right after the failure that does
 * not show the new count proves nothing. So the record stored before the update (its pending count,
 * its scale-out cooldown) stands, and the settling logic resolves it against what ECS shows later.
 * A cycle neither takes back the cooldown of a scale that lands a moment later, nor reports a scale
 * it does not know happened.
 */
class UnknownUpdateOutcomeTest {

  private static final TargetName ORDERS = new TargetName("orders");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final List<String> updates = new ArrayList<>();
  private final List<DecisionRecord> lines = new ArrayList<>();
  private int desired;
  private long visible = 50;

  /** Which of the cycle's saves fails (1 for the first), 0 for none. */
  private int failingSave;

  private int saves;

  private final DecisionStore cycleStore =
      new DecisionStore() {
        @Override
        public StoredState load(TargetName target) {
          return store.load(target);
        }

        @Override
        public Optional<StoredState> save(
            TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
          if (++saves == failingSave) {
            throw new CallFailure(
                "PutItem on orders failed: ProvisionedThroughputExceededException",
                FailureKind.PASSING);
          }
          return store.save(target, expected, next, last);
        }
      };

  /** The first UpdateService times out; {@code landsLate}: ECS applies it after the next read. */
  private ServiceScaler firstUpdateTimesOut(boolean landsLate) {
    return new ServiceScaler() {
      private Integer landing;

      @Override
      public ServiceSnapshot describe(ServiceRef service) {
        ServiceSnapshot read = new ServiceSnapshot(desired, desired, 0);
        if (landing != null) {
          desired = landing; // the update the SDK gave up on lands just after this read
          landing = null;
        }
        return read;
      }

      @Override
      public void setDesiredCount(ServiceRef service, int count) {
        updates.add(count + "@" + clock.instant());
        if (updates.size() == 1) {
          landing = landsLate ? count : null;
          throw new IllegalStateException("UpdateService: ApiCallTimeoutException");
        }
        desired = count;
      }
    };
  }

  private void cycleEveryMinute(ServiceScaler services, String cooldownSeconds, int minutes) {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/max-tasks", "100");
    keys.put("orders/scale-out-cooldown-seconds", cooldownSeconds);
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(visible, 0, 0),
                services,
                cycleStore,
                decision -> {},
                outcome -> lines.add(outcome.decision()),
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            1)) {
      for (int minute = 0; minute < minutes; minute++) {
        if (minute > 0) {
          clock.advance(Duration.ofSeconds(60));
          visible = 100; // the backlog keeps growing: every sample wants more tasks
        }
        cycle.run(CycleRequest.ALL_TARGETS);
      }
    }
  }

  @Test
  void anUpdateThatLandsAfterItsReadBackKeepsItsCooldown() {
    cycleEveryMinute(firstUpdateTimesOut(true), "120", 2);

    assertThat(updates)
        .as("no second scale-out 60 s after one that happened, inside its 120 s cooldown")
        .containsExactly("5@2026-11-28T12:00:00Z");
    assertThat(desired).as("ECS applied the update the SDK gave up on").isEqualTo(5);
    DecisionRecord next = lines.get(1);
    assertThat(next.action()).isEqualTo(Action.HOLD);
    assertThat(next.reason()).isEqualTo(Reason.COOLDOWN);
    assertThat(next.current()).as("the next cycle reads the count that landed").contains(5);
  }

  @Test
  void aLineAfterAnUpdateOfUnknownOutcomeClaimsNeitherTheScaleNorTheOldCount() {
    cycleEveryMinute(firstUpdateTimesOut(true), "120", 1);

    DecisionRecord line = lines.get(0);
    assertThat(line.action())
        .as("no scale announced that may not have happened")
        .isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(line.current()).as("the count the decision started from").contains(0);
    assertThat(line.desired()).as("unknown: 0 or 5").isEmpty();
    assertThat(line.recommended()).contains(5);
    assertThat(line.errors())
        .anyMatch(e -> e.contains("update to desired 5 failed: UpdateService: ApiCallTimeout"))
        .anyMatch(e -> e.contains("its outcome is unknown"))
        .as("one failed call, one entry: what it leaves is said in it")
        .hasSize(1);
    StoredState stored = store.load(ORDERS);
    assertThat(stored.lastAction())
        .as("the pending count stands until the next read resolves it")
        .map(LastAction::desired)
        .contains(5);
    assertThat(stored.history().lastScaleOut())
        .as("the cooldown stands")
        .contains(Instant.parse("2026-11-28T12:00:00Z"));
  }

  @Test
  void anUpdateOfUnknownOutcomeThatNeverLandsIsRetriedWhenItsCooldownEnds() {
    cycleEveryMinute(firstUpdateTimesOut(false), "120", 3);

    assertThat(lines)
        .extracting(line -> line.action() + "/" + line.reason())
        .as("the kept cooldown delays the retry by its length, and no longer")
        .containsExactly("HOLD/UPDATE_FAILED", "HOLD/COOLDOWN", "SCALE_OUT/BACKLOG");
    assertThat(updates).containsExactly("5@2026-11-28T12:00:00Z", "10@2026-11-28T12:02:00Z");
    assertThat(desired).isEqualTo(10);
    assertThat(store.load(ORDERS).lastAction()).map(LastAction::desired).contains(10);
  }

  @Test
  void withTheDefaultCooldownAnUpdateOfUnknownOutcomeThatNeverLandedIsRetriedAtTheNextCycle() {
    cycleEveryMinute(firstUpdateTimesOut(false), "0", 2);

    assertThat(lines)
        .extracting(line -> line.action() + "/" + line.reason())
        .as("the pending count has settled by the next cycle: it holds nothing")
        .containsExactly("HOLD/UPDATE_FAILED", "SCALE_OUT/BACKLOG");
    assertThat(updates).containsExactly("5@2026-11-28T12:00:00Z", "10@2026-11-28T12:01:00Z");
    assertThat(desired).isEqualTo(10);
  }

  @Test
  void anUpdateOfUnknownOutcomeHoldsNoLongerThanOneAttemptTimeoutAfterItGaveUp() {
    cycleEveryMinute(firstUpdateTimesOut(false), "120", 1);

    LastAction stored = store.load(ORDERS).lastAction().orElseThrow();
    assertThat(stored.desired()).isEqualTo(5);
    assertThat(stored.settledBy())
        .as("stored again: by then ECS has answered every attempt the SDK sent")
        .isEqualTo(clock.instant().plus(AwsClients.ATTEMPT_TIMEOUT));
    assertThat(lines.get(0).errors()).anyMatch(e -> e.contains("until " + stored.settledBy()));
  }

  @Test
  void aFollowUpsUpdateOfUnknownOutcomeHoldsNoSampleOfTheNextInvocation() {
    // 15 s sampling: the 45 s sample scales out, its update fails with a server error and never
    // lands. Stored at 45 s, its action would settle at 85 s (a save and an update at their worst),
    // holding the next invocation's first sample, the only one a scale-in may come from.
    Instant start = clock.instant();
    List<String> seen = new ArrayList<>();
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            return new ServiceSnapshot(desired, desired, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {
            updates.add(count + "@" + Duration.between(start, clock.instant()).toSeconds());
            if (updates.size() == 1) {
              throw new CallFailure(
                  "UpdateService on workers/orders-svc failed: ServerException",
                  null,
                  FailureKind.PASSING,
                  false);
            }
            desired = count;
          }
        };
    desired = 1;
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/sample-interval-seconds", "15");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url ->
                    new QueueSnapshot(
                        Duration.between(start, clock.instant()).toSeconds() >= 45 ? 100 : 10,
                        0,
                        0),
                services,
                store,
                decision -> {},
                outcome -> {
                  lines.add(outcome.decision());
                  seen.add(
                      outcome.decision().action()
                          + "/"
                          + outcome.decision().reason()
                          + "@"
                          + Duration.between(start, clock.instant()).toSeconds());
                },
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                clock::advanceTo),
            1,
            AwsClients.WORST_CALL)) {
      for (long at : new long[] {0, 60}) {
        clock.advanceTo(start.plusSeconds(at));
        cycle.run(
            CycleRequest.ALL_TARGETS
                .by(Deadline.at(start.plusSeconds(at + 98)))
                .within(Duration.ofMinutes(1)));
      }
    }

    assertThat(seen).contains("HOLD/UPDATE_FAILED@45");
    assertThat(seen)
        .as("the next invocation's first sample is not held by an update that never ran")
        .contains("SCALE_OUT/BACKLOG@60")
        .noneMatch(line -> line.startsWith("HOLD/CONCURRENT_RUN"));
    assertThat(updates).containsExactly("10@45", "10@60");
    assertThat(desired).isEqualTo(10);
  }

  @Test
  void aHoldForAPendingCountSaysWhichCountItWaitsForAndUntilWhen() {
    // Another cycle's scale-out to 7, stored 2 s ago, that the service does not show yet.
    Instant settledBy = clock.instant().plusSeconds(8);
    store.save(
        ORDERS,
        store.load(ORDERS).version(),
        ScalingHistory.EMPTY,
        Optional.of(new LastAction(7, clock.instant().minusSeconds(2), settledBy)));

    cycleEveryMinute(firstUpdateTimesOut(false), "0", 1);

    DecisionRecord line = lines.get(0);
    assertThat(line.action() + "/" + line.reason()).isEqualTo("HOLD/CONCURRENT_RUN");
    assertThat(updates).isEmpty();
    assertThat(line.errors())
        .as("a hold that lasts until the record settles says so")
        .anyMatch(e -> e.contains("pending desired 7") && e.contains("until " + settledBy));
  }

  @Test
  void whenItsRecordCannotBeStoredAgainItSettlesByItsFirstTimeAndTheLineSaysSo() {
    failingSave = 2; // the first stores the action; the second would bring its settle time forward

    cycleEveryMinute(firstUpdateTimesOut(false), "0", 1);

    LastAction stored = store.load(ORDERS).lastAction().orElseThrow();
    assertThat(stored.desired()).isEqualTo(5);
    assertThat(stored.settledBy())
        .as("a save and an update at their worst after its save (2 x 5 s here)")
        .isEqualTo(clock.instant().plusSeconds(10));
    assertThat(lines.get(0).errors())
        .anyMatch(
            e -> e.contains("its outcome is unknown") && e.contains("until " + stored.settledBy()))
        .anyMatch(
            e ->
                e.startsWith("state: could not store the record again to settle sooner")
                    && e.contains("ProvisionedThroughputExceededException"));
  }
}
