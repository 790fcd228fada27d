package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Cadence;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A state write whose call fails is not always a write that did not happen: DynamoDB may have
 * applied the conditional write before its answer was lost (the SDK's last attempt timed out). Its
 * record of an action that never ran must not hold the target afterwards. The cycle reads the state
 * back: its own record either gets its update, or is taken back; what it cannot read back it says.
 */
class StateWriteOutcomeTest {

  private static final TargetName ORDERS = new TargetName("orders");

  /** A save's call at its timeout: the SDK gave up on an answer DynamoDB never sent back. */
  private static final Duration LOST_ANSWER = Duration.ofSeconds(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryDecisionStore stored = new InMemoryDecisionStore();
  private int desired;
  private int updates;
  private int answersToLose;

  /** Another cycle's state, stored instead of the failing save's (a save that lost its race). */
  private Optional<LastAction> anotherCyclesAction = Optional.empty();

  /** How long the read after a lost answer takes (a throttled GetItem, retried). */
  private Duration readBackTakes = Duration.ZERO;

  private boolean readBackFails;
  private boolean readingBack;

  /** How long a save whose answer is lost takes. */
  private Duration lostAnswerTakes = LOST_ANSWER;

  /**
   * Whether a save whose call fails was applied first (else it failed before DynamoDB wrote it).
   */
  private boolean lostWritesApply = true;

  /**
   * Whether a failed save's write reaches the table only after the cycle read the state back: the
   * SDK gave up on its last attempt while DynamoDB was still working on it. It lands at the table's
   * next call: right after the cycle's next write, or before it ({@link #lateWriteBeatsTheFence}).
   */
  private boolean lostWritesLandLate;

  /** Whether the late write reaches the table just before the cycle's next write. */
  private boolean lateWriteBeatsTheFence;

  /** Whether the cycle's next write after a lost answer fails before it reaches the table. */
  private boolean fenceFails;

  private boolean nextWriteFails;

  private Runnable lateWrite = () -> {};

  private void landLateWrite() {
    Runnable landing = lateWrite;
    lateWrite = () -> {};
    landing.run();
  }

  /**
   * Applies each write; the first {@code answersToLose} then fail as a lost answer (or store
   * another cycle's action instead, or nothing, or land late).
   */
  private final DecisionStore store =
      new DecisionStore() {
        @Override
        public StoredState load(TargetName target) {
          if (readingBack) {
            readingBack = false;
            clock.advance(readBackTakes);
            if (readBackFails) {
              throw new IllegalStateException("GetItem: Client execution did not complete");
            }
            return stored.load(target); // a late write is still under way
          }
          landLateWrite();
          return stored.load(target);
        }

        @Override
        public Optional<StoredState> save(
            TargetName target,
            long expectedVersion,
            ScalingHistory next,
            Optional<LastAction> lastAction) {
          if (answersToLose > 0) {
            answersToLose--;
            Optional<LastAction> applied = anotherCyclesAction.or(() -> lastAction);
            if (lostWritesLandLate) {
              lateWrite = () -> stored.save(target, expectedVersion, next, applied);
            } else if (lostWritesApply) {
              stored.save(target, expectedVersion, next, applied);
            }
            readingBack = true;
            nextWriteFails = fenceFails;
            clock.advance(lostAnswerTakes);
            throw new IllegalStateException("PutItem: Client execution did not complete (timeout)");
          }
          if (nextWriteFails) {
            nextWriteFails = false;
            landLateWrite();
            throw new IllegalStateException(
                "PutItem: Rate of requests exceeds the allowed throughput");
          }
          if (lateWriteBeatsTheFence) {
            landLateWrite();
          }
          Optional<StoredState> saved = stored.save(target, expectedVersion, next, lastAction);
          landLateWrite();
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
          updates++;
          desired = count;
        }
      };

  private CycleReport invocation() {
    return invocation(Deadline.NONE);
  }

  private CycleReport invocation(Deadline deadline) {
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
            1,
            AwsClients.WORST_CALL)) {
      return cycle.run(CycleRequest.ALL_TARGETS.by(deadline));
    }
  }

  @Test
  void aScaleOutWhoseStateWriteLostItsAnswerStartsNoCooldownWhenItsUpdateNeverRan() {
    answersToLose = 1;
    // The read-back is throttled: after it, the update could no longer end before the action's
    // recorded settling time (the save and the update at their worst), so it must not start.
    readBackTakes = Duration.ofSeconds(10);
    CycleReport first = invocation();
    assertThat(first.outcomes().get(0).decision().reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(first.outcomes().get(0).decision().errors())
        .anyMatch(e -> e.contains("the recorded action is taken back"));
    assertThat(desired).as("the first invocation set nothing").isZero();
    assertThat(stored.load(ORDERS).history().lastScaleOut()).as("no cooldown stored").isEmpty();
    assertThat(stored.load(ORDERS).lastAction()).as("no action stored").isEmpty();

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

  @Test
  void aStateWriteThatLandsAfterItsReadBackStartsNoCooldownForAnUpdateThatNeverRan() {
    answersToLose = 1;
    // The save's call timed out while DynamoDB was still applying it (slow, which is why it timed
    // out): a consistent read shows only acknowledged writes, so the read-back finds the state
    // unchanged, and the write lands just after it (after the cycle's next write, too).
    lostWritesLandLate = true;
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

  @Test
  void aScaleOutWhoseStateWriteLostItsAnswerRunsAsIfTheWriteHadAnswered() {
    answersToLose = 1;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(line.desired()).contains(5);
    assertThat(line.errors())
        .anyMatch(e -> e.contains("the write was applied, its answer lost; the update runs"));
    assertThat(desired).as("the scale-out recorded is the one that ran").isEqualTo(5);
    assertThat(updates).as("once").isEqualTo(1);
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).as("no second write").isEqualTo(1);
    assertThat(state.history().lastScaleOut()).as("its cooldown runs").isPresent();
    assertThat(state.lastAction()).map(LastAction::desired).contains(5);
  }

  @Test
  void aStateWriteThatCannotBeReadBackHoldsAndSaysItsRecordMayHoldTheTarget() {
    answersToLose = 1;
    readBackFails = true;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertHeldSayingTheStateMayCarryTheScaleOut(line, "the write's outcome is unknown");
    assertThat(updates).as("nothing acts on a record it could not read").isZero();
  }

  @Test
  void aStateWriteWithNoTimeLeftToReadItBackHoldsAndSaysSo() {
    answersToLose = 1;
    // Far slower than a save at its worst (a paused container): the deadline allowed the save and
    // the update when the save started, and now not even the read-back fits.
    lostAnswerTakes = Duration.ofSeconds(70);
    Instant start = clock.instant();

    DecisionRecord line =
        invocation(Deadline.at(start.plusSeconds(90))).outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors())
        .anyMatch(
            e -> e.contains("no time left to read the state back") && e.contains("desired 5"));
    assertThat(updates).isZero();
  }

  @Test
  void aStateWriteThatLostItsRaceTakesBackNothingOfTheOtherCyclesState() {
    answersToLose = 1;
    LastAction theirs =
        new LastAction(7, clock.instant(), clock.instant().plus(Duration.ofSeconds(40)));
    anotherCyclesAction = Optional.of(theirs);

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors()).anyMatch(e -> e.contains("another cycle stored a state since"));
    assertThat(updates).as("nothing acts on another cycle's state").isZero();
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).isEqualTo(1);
    assertThat(state.lastAction()).as("their action stands").contains(theirs);
  }

  @Test
  void aStateWriteThatFailedBeforeItAppliedHoldsAndChangesNothingButTheVersion() {
    answersToLose = 1;
    lostWritesApply = false;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors()).anyMatch(e -> e.contains("read back: the write was not applied"));
    assertThat(updates).isZero();
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).as("the fence").isEqualTo(1);
    assertThat(state.history()).isEqualTo(ScalingHistory.EMPTY);
    assertThat(state.lastAction()).isEmpty();
  }

  @Test
  void aFenceKeepsALateWriteOutAndLeavesTheStateAsItWasButForItsVersion() {
    Instant earlier = clock.instant().minus(Duration.ofMinutes(10));
    ScalingHistory history =
        new ScalingHistory(
            List.of(
                new Recommendation(earlier, 2, OptionalLong.of(3), Cadence.EVERY_SAMPLE),
                new Recommendation(
                    earlier.plusSeconds(300), 0, OptionalLong.of(0), Cadence.EVERY_SAMPLE)),
            Optional.of(earlier));
    Optional<LastAction> action =
        Optional.of(new LastAction(0, earlier.plusSeconds(300), earlier.plusSeconds(340)));
    stored.save(ORDERS, 0, history, action);
    answersToLose = 1;
    lostWritesLandLate = true;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors())
        .anyMatch(
            e ->
                e.contains("the write was not applied, and now cannot be")
                    && e.contains("nothing else stored or changed"))
        .noneMatch(e -> e.contains("may carry"));
    assertThat(updates).isZero();
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).as("the fence's version; the late write failed").isEqualTo(2);
    assertThat(state.history()).as("the history as it was").isEqualTo(history);
    assertThat(state.lastAction()).as("the last action as it was").isEqualTo(action);
  }

  @Test
  void aLateWriteThatBeatsTheFenceRunsItsUpdateOnce() {
    answersToLose = 1;
    lostWritesLandLate = true;
    lateWriteBeatsTheFence = true;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.action()).isEqualTo(Action.SCALE_OUT);
    assertThat(line.errors())
        .anyMatch(e -> e.contains("the write was applied, its answer lost; the update runs"));
    assertThat(desired).as("the scale-out recorded is the one that ran").isEqualTo(5);
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).as("the late write's; the fence failed").isEqualTo(1);
    assertThat(state.lastAction()).map(LastAction::desired).contains(5);

    clock.advance(Duration.ofSeconds(60));
    invocation();

    assertThat(updates).as("once").isEqualTo(1);
  }

  @Test
  void aLateWriteThatBeatsTheFenceIsTakenBackWhenItsUpdateNoLongerFits() {
    answersToLose = 1;
    lostWritesLandLate = true;
    lateWriteBeatsTheFence = true;
    // Throttled: after it, the update could no longer end before the action settles.
    readBackTakes = Duration.ofSeconds(10);

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors()).anyMatch(e -> e.contains("the recorded action is taken back"));
    assertThat(desired).isZero();
    assertThat(stored.load(ORDERS).history().lastScaleOut()).as("no cooldown stored").isEmpty();
    assertThat(stored.load(ORDERS).lastAction()).as("no action stored").isEmpty();

    clock.advance(Duration.ofSeconds(60));
    DecisionRecord next = invocation().outcomes().get(0).decision();

    assertThat(next.action()).as("%s %s", next.action(), next.reason()).isEqualTo(Action.SCALE_OUT);
    assertThat(desired).isEqualTo(5);
  }

  @Test
  void aFenceThatLosesToAnotherCyclesWriteLeavesItStanding() {
    answersToLose = 1;
    lostWritesLandLate = true;
    lateWriteBeatsTheFence = true;
    LastAction theirs =
        new LastAction(7, clock.instant(), clock.instant().plus(Duration.ofSeconds(40)));
    anotherCyclesAction = Optional.of(theirs);

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors()).anyMatch(e -> e.contains("another cycle stored a state since"));
    assertThat(updates).as("nothing acts on another cycle's state").isZero();
    StoredState state = stored.load(ORDERS);
    assertThat(state.version()).isEqualTo(1);
    assertThat(state.lastAction()).as("their action stands").contains(theirs);
  }

  @Test
  void aFenceThatCannotBeWrittenHoldsAndSaysTheStateMayCarryTheAction() {
    answersToLose = 1;
    lostWritesLandLate = true;
    fenceFails = true;

    DecisionRecord line = invocation().outcomes().get(0).decision();

    assertHeldSayingTheStateMayCarryTheScaleOut(line, "fencing it off failed");
    assertThat(updates).as("nothing acts on a write it could not fence off").isZero();
  }

  @Test
  void aFenceWithNoTimeLeftHoldsAndSaysTheStateMayCarryTheAction() {
    answersToLose = 1;
    lostWritesLandLate = true;
    // The read-back fits the deadline, and takes so long that the fence no longer does.
    readBackTakes = Duration.ofSeconds(60);
    Instant start = clock.instant();

    DecisionRecord line =
        invocation(Deadline.at(start.plusSeconds(90))).outcomes().get(0).decision();

    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors())
        .anyMatch(
            e ->
                e.contains("no time left to fence it off")
                    && e.contains("may carry this action (desired 5)"));
    assertThat(updates).isZero();
  }

  /** The line holds and says why, and that the stored state may carry the scale-out to 5. */
  private static void assertHeldSayingTheStateMayCarryTheScaleOut(DecisionRecord line, String why) {
    assertThat(line.action()).isEqualTo(Action.HOLD);
    assertThat(line.reason()).isEqualTo(Reason.STATE_UNAVAILABLE);
    assertThat(line.errors())
        .anyMatch(
            e ->
                e.contains(why)
                    && e.contains("may carry this action (desired 5)")
                    && e.contains("scale-out cooldown")
                    && e.contains("CONCURRENT_RUN until"));
  }
}
