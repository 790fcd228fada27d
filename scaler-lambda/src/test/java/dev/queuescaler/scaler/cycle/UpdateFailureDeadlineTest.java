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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What runs after a failed UpdateService (the read-back of an update whose outcome is unknown, the
 * undo of one ECS rejected) starts only while it fits the deadline, as every other call does: at
 * the edge of the budget it is skipped, the record stored before the update stands until it
 * settles, and the target's line is written before the function is killed.
 *
 * <p>Every call takes its worst case ({@link AwsClients#WORST_CALL}, 20 s): the service read at 0
 * s, the state at 20 s, the queue at 40 s, the save at 60 s, the update at 80 s, failing at 100 s;
 * the deadline is 102 s (the 2 s margin left for the line), and Lambda kills the function at 104 s.
 */
class UpdateFailureDeadlineTest {

  private static final TargetName ORDERS = new TargetName("orders");

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final Instant deadline = start.plusSeconds(102);
  private final MutableClock clock = new MutableClock(start);
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<DecisionRecord> decisions = Collections.synchronizedList(new ArrayList<>());
  private final InMemoryDecisionStore memory = new InMemoryDecisionStore();

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  /** Runs one cycle whose every call takes its worst case and whose update fails with {@code e}. */
  private void runAtTheEdge(Supplier<RuntimeException> updateFailure) {
    DecisionStore slowStore =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            calls.add("load@" + secondsIn());
            clock.advance(AwsClients.WORST_CALL);
            return memory.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
            calls.add("save@" + secondsIn());
            clock.advance(AwsClients.WORST_CALL);
            return memory.save(target, expected, next, last);
          }
        };
    ServiceScaler failingUpdate =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            calls.add("describe@" + secondsIn());
            clock.advance(AwsClients.WORST_CALL);
            return new ServiceSnapshot(0, 0, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {
            calls.add("update@" + secondsIn());
            clock.advance(AwsClients.WORST_CALL);
            throw updateFailure.get();
          }
        };
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/scale-out-cooldown-seconds", "120");
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> {
                  calls.add("queue@" + secondsIn());
                  clock.advance(AwsClients.WORST_CALL);
                  return new QueueSnapshot(50, 0, 0);
                },
                failingUpdate,
                slowStore,
                decision -> {},
                outcome -> {
                  lines.add(outcome.decision().target() + "@" + secondsIn());
                  decisions.add(outcome.decision());
                },
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                clock::advanceTo),
            1,
            AwsClients.WORST_CALL)) {
      cycle.run(CycleRequest.ALL_TARGETS.by(Deadline.at(deadline)));
    }
  }

  @Test
  void anUpdateOfUnknownOutcomeAtTheEdgeOfTheBudgetIsNotReadBackAndItsLineIsWritten() {
    runAtTheEdge(() -> new IllegalStateException("UpdateService: ApiCallTimeoutException"));

    assertThat(calls)
        .as("no call starts that cannot end by the deadline")
        .endsWith("save@60", "update@80");
    assertThat(lines).as("the line, within the margin kept for it").containsExactly("orders@100");
    DecisionRecord line = decisions.get(0);
    assertThat(line.action()).isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(line.errors())
        .anyMatch(e -> e.contains("its outcome is unknown"))
        .anyMatch(e -> e.contains("no time left to read the service back"));
    StoredState stored = memory.load(ORDERS);
    assertThat(stored.lastAction())
        .as("the record stands, settling within the invocation")
        .hasValueSatisfying(
            action -> {
              assertThat(action.desired()).isEqualTo(5);
              assertThat(action.settledBy()).isBeforeOrEqualTo(deadline);
            });
  }

  @Test
  void anUpdateEcsRefusedAtTheEdgeOfTheBudgetKeepsItsRecordUntilItSettlesAndSaysSo() {
    runAtTheEdge(
        () ->
            new CallFailure(
                "UpdateService on workers/orders-svc failed: ThrottlingException: Rate exceeded",
                null,
                FailureKind.PASSING,
                true));

    assertThat(calls)
        .as("no undo that cannot end by the deadline")
        .endsWith("save@60", "update@80");
    assertThat(lines).containsExactly("orders@100");
    DecisionRecord line = decisions.get(0);
    assertThat(line.action()).isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.UPDATE_FAILED);
    assertThat(line.desired()).as("refused: the count ECS kept").contains(0);
    StoredState stored = memory.load(ORDERS);
    LastAction action = stored.lastAction().orElseThrow();
    assertThat(line.errors())
        .anyMatch(
            e ->
                e.contains("ECS refused the update, but no time is left to take its record back")
                    && e.contains("until " + action.settledBy())
                    && e.contains("the scale-out cooldown runs from " + action.at()));
    assertThat(action.settledBy())
        .as("it holds no target past this invocation")
        .isBeforeOrEqualTo(deadline);
  }
}
