package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.LastAction;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.StoredState;
import dev.queuescaler.scaler.policy.Cadence;
import dev.queuescaler.scaler.policy.Pauses;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.FaultInjectingProxy.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The decision state's conditional write against a DynamoDB-compatible server (dynalite), through a
 * proxy that loses answers: the real SDK client and its retries run.
 */
class DecisionStoreIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final FaultInjectingProxy proxy =
      new FaultInjectingProxy(aws.dynamoDbServer.endpoint());
  private static final DynamoDbClient throughProxy =
      aws.configure(DynamoDbClient.builder(), proxy.endpoint()).build();
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final TargetName ORDERS = new TargetName("orders");

  private final DynamoDbDecisionStore store =
      new DynamoDbDecisionStore(throughProxy, LocalAws.TABLE);

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    throughProxy.close();
    proxy.close();
    aws.close();
  }

  @Test
  void aWriteWhoseAnswerWasLostIsStillThisCyclesWriteWhenTheSdkRetriesIt() {
    StoredState first = store.save(ORDERS, 0, history(1), Optional.empty()).orElseThrow();
    int putsBefore = proxy.calls("PutItem").size();
    // DynamoDB applies the write, the answer is lost, the SDK retries: the retry's condition now
    // fails against the write it made itself.
    proxy.loseAnswers(
        "PutItem",
        1,
        Reply.error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "lost"));

    Optional<StoredState> second =
        store.save(
            ORDERS,
            first.version(),
            history(5),
            Optional.of(new LastAction(5, T0.plusSeconds(60), T0.plusSeconds(100))));

    assertThat(second).as("the cycle's own applied write is not a lost race").isPresent();
    assertThat(second.get().version()).isEqualTo(first.version() + 1);
    assertThat(proxy.calls("PutItem")).as("the SDK retried the write").hasSize(putsBefore + 2);
    StoredState stored = store.load(ORDERS);
    assertThat(stored.version()).isEqualTo(second.get().version());
    assertThat(stored.lastAction())
        .contains(new LastAction(5, T0.plusSeconds(60), T0.plusSeconds(100)));
  }

  @Test
  void aWriteAnotherCycleMadeFirstIsStillALostRace() {
    StoredState first = store.save(ORDERS, 0, history(1), Optional.empty()).orElseThrow();
    DynamoDbDecisionStore other = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    assertThat(other.save(ORDERS, first.version(), history(3), Optional.empty())).isPresent();

    Optional<StoredState> mine = store.save(ORDERS, first.version(), history(5), Optional.empty());

    assertThat(mine).isEmpty();
    assertThat(store.load(ORDERS).history().recommendations())
        .extracting(Recommendation::tasks)
        .containsExactly(3);
  }

  @Test
  void aLostAnswerOnTheFirstWriteIsStillThisCyclesWrite() {
    proxy.loseAnswers(
        "PutItem",
        1,
        Reply.error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "lost"));

    assertThat(store.save(ORDERS, 0, history(2), Optional.empty())).isPresent();
    assertThat(store.load(ORDERS).version()).isEqualTo(1);
  }

  @Test
  void aFailedConditionThatCannotBeReadBackIsAnUnknownOutcomeNotALostRace() {
    StoredState first = store.save(ORDERS, 0, history(1), Optional.empty()).orElseThrow();
    LastAction action = new LastAction(5, T0.plusSeconds(60), T0.plusSeconds(100));
    // The write is applied and its answer lost; the SDK's retry fails its condition against it, and
    // the read-back that would tell whose write that is fails too.
    proxy.loseAnswers(
        "PutItem",
        1,
        Reply.error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "lost"));
    AtomicBoolean readsFail = new AtomicBoolean(true);
    proxy.fail(
        "GetItem",
        request ->
            readsFail.get()
                ? Optional.of(
                    Reply.error(
                        500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "unavailable"))
                : Optional.empty());
    try {
      assertThatThrownBy(() -> store.save(ORDERS, first.version(), history(5), Optional.of(action)))
          .as("not a lost race: the cycle must read it back, not report CONCURRENT_RUN and go")
          .hasMessageContaining("the write may have been applied");
    } finally {
      readsFail.set(false);
    }
    StoredState stored = store.load(ORDERS);
    assertThat(stored.version()).isEqualTo(first.version() + 1);
    assertThat(stored.lastAction())
        .as("the cycle's read-back finds its own action")
        .contains(action);
  }

  @Test
  void aStateStoredAgainUnchangedKeepsOutALateWriteThatExpectedItsVersion() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(
                new Recommendation(T0, 2, OptionalLong.of(3), Cadence.EVERY_SAMPLE),
                new Recommendation(T0.plusSeconds(15), 0, OptionalLong.of(0), Cadence.ALONE)),
            Optional.of(T0));
    Optional<LastAction> action =
        Optional.of(new LastAction(2, T0.minusSeconds(60), T0.minusSeconds(20)));
    store.save(ORDERS, 0, history, action).orElseThrow();
    StoredState readBack = store.load(ORDERS);

    // The cycle's fence: the state it read back, stored again under that state's version.
    Optional<StoredState> fence =
        store.save(ORDERS, readBack.version(), readBack.history(), readBack.lastAction());
    // The write the SDK gave up on, arriving at the table after the fence.
    DynamoDbDecisionStore late = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    Optional<StoredState> lateWrite =
        late.save(
            ORDERS,
            readBack.version(),
            history(5),
            Optional.of(new LastAction(5, T0.plusSeconds(60), T0.plusSeconds(100))));

    assertThat(fence).isPresent();
    assertThat(lateWrite).as("its condition fails against the fence").isEmpty();
    assertThat(store.load(ORDERS))
        .as("the state as it was, one version on")
        .isEqualTo(new StoredState(2, history, action));
  }

  @Test
  void aFenceOnATargetWithNothingStoredKeepsOutALateFirstWrite() {
    StoredState readBack = store.load(ORDERS);
    assertThat(readBack).isEqualTo(StoredState.NONE);

    assertThat(store.save(ORDERS, 0, readBack.history(), readBack.lastAction())).isPresent();
    DynamoDbDecisionStore late = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);

    assertThat(
            late.save(
                ORDERS,
                0,
                history(5),
                Optional.of(new LastAction(5, T0.plusSeconds(60), T0.plusSeconds(100)))))
        .isEmpty();
    assertThat(store.load(ORDERS))
        .isEqualTo(new StoredState(1, ScalingHistory.EMPTY, Optional.empty()));
  }

  @Test
  void aMalformedStateItemIsALastingFailure() {
    // An item without its version (edited by hand, or written by a tool that does not know the
    // format): it stays malformed until someone deletes it, as its error says, so a read 15 s
    // later fails the same way and its target waits for the next invocation.
    aws.dynamoDb.putItem(
        put ->
            put.tableName(LocalAws.TABLE)
                .item(
                    Map.of(
                        "target", AttributeValue.fromS(ORDERS.value()),
                        "recommendations", AttributeValue.fromL(List.of()))));

    RuntimeException failure = catchRuntimeException(() -> store.load(ORDERS));

    assertThat(failure).hasMessageContaining("the stored item is malformed");
    assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.LASTING);
  }

  @Test
  void theBurstStartsAreStoredAndReadBack() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(new Recommendation(T0, 5, OptionalLong.of(40))),
            Optional.of(T0),
            List.of(T0.minusSeconds(1260), T0.minusSeconds(840), T0.minusSeconds(420), T0));
    store.save(ORDERS, 0, history, Optional.empty()).orElseThrow();

    assertThat(store.load(ORDERS).history()).isEqualTo(history);
  }

  @Test
  void anItemStoredBeforeBurstStartsWereKeptReadsNone() {
    putItemWithEntry(
        Map.of(
            "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
            "tasks", AttributeValue.fromN("5")));

    assertThat(store.load(ORDERS).history().burstStarts()).isEmpty();
  }

  @Test
  void burstStartsThatAreNotTimesAreReadAsNoneWithAWarningAndTheTargetKeepsItsHistory() {
    // Edited by hand: a string in the list, or the attribute of another type. Only the release
    // between bursts depends on it; the window, the cooldown and the load term's samples do not.
    for (AttributeValue unreadable :
        List.of(
            AttributeValue.fromL(List.of(AttributeValue.fromS("T0"))),
            AttributeValue.fromL(
                List.of(
                    AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
                    AttributeValue.fromNul(true))),
            AttributeValue.fromS("yesterday"),
            AttributeValue.fromNs(List.of("1", "2")))) {
      aws.clearState();
      List<String> warnings = new ArrayList<>();
      DynamoDbDecisionStore warned =
          new DynamoDbDecisionStore(throughProxy, LocalAws.TABLE, warningsInto(warnings));
      putItemWithEntry(
          Map.of(
              "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
              "tasks", AttributeValue.fromN("5")),
          Map.of("burstStarts", unreadable));

      StoredState state = warned.load(ORDERS);
      warned.load(ORDERS);

      assertThat(state.version()).isEqualTo(3);
      assertThat(state.history().recommendations()).hasSize(1);
      assertThat(state.history().burstStarts()).isEmpty();
      assertThat(warnings)
          .as("once per target and container, for %s", unreadable)
          .singleElement()
          .asString()
          .contains("burstStarts", "read as none");

      // The next save writes the history back without it, as the warning says.
      warned.save(ORDERS, 3, state.history(), Optional.empty()).orElseThrow();
      assertThat(rawItem()).doesNotContainKey("burstStarts");
      assertThat(warned.load(ORDERS).history().recommendations()).hasSize(1);
    }
  }

  @Test
  void thePausesAreStoredAndReadBack() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(new Recommendation(T0, 1, OptionalLong.of(0))),
            Optional.empty(),
            List.of(),
            new Pauses(
                Optional.of(T0),
                List.of(
                    Duration.ofSeconds(400), Duration.ofMillis(600_250), Duration.ofSeconds(31))));
    store.save(ORDERS, 0, history, Optional.empty()).orElseThrow();

    assertThat(store.load(ORDERS).history()).isEqualTo(history);
    assertThat(rawItem()).containsKeys("quietSince", "pauses");
  }

  @Test
  void pausesThatCannotBeReadAreReadAsNoneWithAWarningAndTheTargetKeepsItsHistory() {
    // Edited by hand: a pause that is no number, one that is not positive (no pause the scaler
    // keeps), a time that is no number, or a list of another type. Only
    // the release after long pauses
    // depends on them: reading none withholds it, as a target without them.
    List<Map<String, AttributeValue>> unreadable =
        List.of(
            Map.of("pauses", AttributeValue.fromL(List.of(AttributeValue.fromS("400")))),
            Map.of("pauses", AttributeValue.fromL(List.of(AttributeValue.fromN("0")))),
            Map.of("pauses", AttributeValue.fromNs(List.of("400000"))),
            Map.of("quietSince", AttributeValue.fromS("now")));
    for (Map<String, AttributeValue> attributes : unreadable) {
      aws.clearState();
      List<String> warnings = new ArrayList<>();
      DynamoDbDecisionStore warned =
          new DynamoDbDecisionStore(throughProxy, LocalAws.TABLE, warningsInto(warnings));
      putItemWithEntry(
          Map.of(
              "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
              "tasks", AttributeValue.fromN("5")),
          attributes);

      StoredState state = warned.load(ORDERS);
      warned.load(ORDERS);

      assertThat(state.history().recommendations()).hasSize(1);
      assertThat(state.history().pauses()).isEqualTo(Pauses.NONE);
      assertThat(warnings)
          .as("once per target and container, for %s", attributes)
          .singleElement()
          .asString()
          .contains("pauses", "read as none");
    }
  }

  @Test
  void eachEntryKeepsTheCadenceItsRunIsCountedAt() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(
                new Recommendation(T0, 2, OptionalLong.of(0), Cadence.EVERY_SAMPLE),
                new Recommendation(T0.plusSeconds(15), 0, OptionalLong.of(0), Cadence.ALONE),
                new Recommendation(
                    T0.plusSeconds(60), 0, OptionalLong.of(0), Cadence.EVERY_INVOCATION)),
            Optional.empty());
    store.save(ORDERS, 0, history, Optional.empty()).orElseThrow();

    assertThat(store.load(ORDERS).history()).isEqualTo(history);
    assertThat(storedEntries())
        .as("an active target's entry is stored as before, without a cadence")
        .first()
        .satisfies(entry -> assertThat(entry).doesNotContainKey("cadence"));
  }

  @Test
  void anEntryStoredBeforeCadencesIsCountedEverySampleAsItWasThen() {
    putItemWithEntry(
        Map.of(
            "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
            "tasks", AttributeValue.fromN("0"),
            "inFlight", AttributeValue.fromN("0")));

    assertThat(store.load(ORDERS).history().recommendations())
        .containsExactly(new Recommendation(T0, 0, OptionalLong.of(0), Cadence.EVERY_SAMPLE));
  }

  @Test
  void anEntryWithACadenceThisCodeDoesNotKnowIsCountedAloneAndTheNextSaveReplacesIt() {
    // A later version's cadence (left behind by a rollback), a lowercase one, a wrong type: read as
    // ALONE, which adds no zero-in-flight samples, so the load term's mean can only come out
    // higher than the writer's, never scaling in on a guess.
    List<String> warnings = new ArrayList<>();
    DynamoDbDecisionStore store =
        new DynamoDbDecisionStore(throughProxy, LocalAws.TABLE, warningsInto(warnings));
    for (AttributeValue unknown :
        List.of(
            AttributeValue.fromS("EVERY_FORTNIGHT"),
            AttributeValue.fromS("alone"),
            AttributeValue.fromN("2"))) {
      aws.clearState();
      putItemWithEntry(
          Map.of(
              "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
              "tasks", AttributeValue.fromN("0"),
              "inFlight", AttributeValue.fromN("0"),
              "cadence", unknown));

      StoredState loaded = store.load(ORDERS);

      assertThat(loaded.history().recommendations())
          .as("%s", unknown)
          .containsExactly(new Recommendation(T0, 0, OptionalLong.of(0), Cadence.ALONE));
      store.save(ORDERS, loaded.version(), loaded.history(), Optional.empty()).orElseThrow();
      assertThat(storedEntries())
          .as("the next save stores a cadence this code knows")
          .singleElement()
          .satisfies(
              entry -> assertThat(entry).containsEntry("cadence", AttributeValue.fromS("ALONE")));
    }
    assertThat(warnings)
        .as("one warning per target in a container, naming the value")
        .singleElement()
        .asString()
        .contains("EVERY_FORTNIGHT", "ALONE");
  }

  @Test
  void anActionOfUnknownOutcomeIsStoredAndReadBackUnconfirmedWithTheCountBeforeItAndItsReason() {
    LastAction unconfirmed =
        new LastAction(5, T0, T0.plusSeconds(5)).unconfirmedFrom(2, Reason.BACKLOG);
    store.save(ORDERS, 0, ScalingHistory.EMPTY, Optional.of(unconfirmed)).orElseThrow();

    assertThat(store.load(ORDERS).lastAction()).contains(unconfirmed);
    assertThat(rawItem().get("pendingUnconfirmed").m())
        .containsEntry("from", AttributeValue.fromN("2"))
        .containsEntry("reason", AttributeValue.fromS("BACKLOG"));

    store.save(ORDERS, 1, ScalingHistory.EMPTY, Optional.of(unconfirmed.confirmed()));
    assertThat(rawItem()).as("confirmed: no mark").doesNotContainKey("pendingUnconfirmed");
    assertThat(store.load(ORDERS).lastAction()).contains(unconfirmed.confirmed());
  }

  @Test
  void anActionStoredBeforeUnknownOutcomesWereMarkedReadsAsConfirmed() {
    putItemWithEntry(
        Map.of(
            "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
            "tasks", AttributeValue.fromN("5")),
        Map.of(
            "pendingDesired", AttributeValue.fromN("5"),
            "pendingAt", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
            "pendingSettledBy", AttributeValue.fromN(Long.toString(T0.toEpochMilli() + 10_000))));

    assertThat(store.load(ORDERS).lastAction()).contains(new LastAction(5, T0, T0.plusSeconds(10)));
  }

  @Test
  void anUnconfirmedMarkThatCannotBeReadIsReadAsConfirmedWithAWarning() {
    for (AttributeValue unreadable :
        List.of(
            AttributeValue.fromS("yes"),
            AttributeValue.fromM(Map.of("from", AttributeValue.fromN("2"))),
            AttributeValue.fromM(
                Map.of(
                    "from", AttributeValue.fromN("2"),
                    "reason", AttributeValue.fromS("A_LATER_VERSIONS_REASON"))),
            AttributeValue.fromM(
                Map.of(
                    "from",
                    AttributeValue.fromN("5"),
                    "reason",
                    AttributeValue.fromS("BACKLOG"))))) {
      aws.clearState();
      List<String> warnings = new ArrayList<>();
      DynamoDbDecisionStore warned =
          new DynamoDbDecisionStore(throughProxy, LocalAws.TABLE, warningsInto(warnings));
      putItemWithEntry(
          Map.of(
              "at", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
              "tasks", AttributeValue.fromN("5")),
          Map.of(
              "pendingDesired", AttributeValue.fromN("5"),
              "pendingAt", AttributeValue.fromN(Long.toString(T0.toEpochMilli())),
              "pendingSettledBy", AttributeValue.fromN(Long.toString(T0.toEpochMilli() + 10_000)),
              "pendingUnconfirmed", unreadable));

      StoredState state = warned.load(ORDERS);
      warned.load(ORDERS);

      assertThat(state.lastAction())
          .as("%s: the action stands, its late landing unannounced", unreadable)
          .contains(new LastAction(5, T0, T0.plusSeconds(10)));
      assertThat(warnings)
          .as("once per target and container, for %s", unreadable)
          .singleElement()
          .asString()
          .contains("pendingUnconfirmed", "read as confirmed");
    }
  }

  /** An operator log that keeps its warnings in {@code warnings}. */
  private static OperatorLog warningsInto(List<String> warnings) {
    return new OperatorLog() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }

      @Override
      public void error(String message) {}
    };
  }

  private static void putItemWithEntry(Map<String, AttributeValue> entry) {
    putItemWithEntry(entry, Map.of());
  }

  /**
   * An item at version 3 with one recommendation, {@code entry}, and the attributes {@code more}.
   */
  private static void putItemWithEntry(
      Map<String, AttributeValue> entry, Map<String, AttributeValue> more) {
    Map<String, AttributeValue> item = new HashMap<>(more);
    item.put("target", AttributeValue.fromS(ORDERS.value()));
    item.put("version", AttributeValue.fromN("3"));
    item.put("recommendations", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))));
    aws.dynamoDb.putItem(put -> put.tableName(LocalAws.TABLE).item(item));
  }

  private static List<Map<String, AttributeValue>> storedEntries() {
    return rawItem().get("recommendations").l().stream().map(AttributeValue::m).toList();
  }

  /** The target's item as DynamoDB holds it. */
  private static Map<String, AttributeValue> rawItem() {
    return aws.dynamoDb
        .getItem(
            get ->
                get.tableName(LocalAws.TABLE)
                    .key(Map.of("target", AttributeValue.fromS(ORDERS.value())))
                    .consistentRead(true))
        .item();
  }

  private static ScalingHistory history(int tasks) {
    return new ScalingHistory(List.of(new Recommendation(T0, tasks)), Optional.empty());
  }
}
