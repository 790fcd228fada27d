package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.DecisionStore;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.LastAction;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.StoredState;
import dev.queuescaler.scaler.policy.Cadence;
import dev.queuescaler.scaler.policy.Pauses;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The decision history in a DynamoDB table: one item per target (partition key {@code target}),
 * replaced on every cycle under a condition on its {@code version} attribute.
 *
 * <pre>
 * target          S  the target name
 * version         N  1, 2, 3, ...: the optimistic-concurrency guard
 * recommendations L  [{at: N epoch millis, tasks: N, inFlight: N, cadence: S}], those inside the
 *                    longest window, at most 64 (ScalingHistory); inFlight absent in older
 *                    items; cadence EVERY_INVOCATION or ALONE for an idle target's sample,
 *                    absent for an active target's (EVERY_SAMPLE) and in older items
 * lastScaleOut    N  epoch millis of the last scale-out that happened (absent before the first)
 * burstStarts     L  [N epoch millis], the last four scale-outs that came two minutes or more
 *                    after the one before (ScalingHistory), oldest first; absent when none yet
 * quietSince      N  epoch millis of the first stored sample of the queue's current quiet spell
 *                    (Pauses); absent while it is busy and while scale-in-after-long-pauses is off
 * pauses          L  [N millis], the last three pauses (Pauses), oldest first; absent when none
 * pendingDesired  N  the last count a cycle set (absent before the first action)
 * pendingAt       N  epoch millis of that decision
 * pendingSettledBy N epoch millis by which its update had landed or was given up (absent in items
 *                    written before it existed: pendingAt + 60 s)
 * pendingUnconfirmed M {from: N, reason: S}: present while that update's outcome is unknown (it
 *                    failed with a timeout or a 5xx, and the read after it did not show the
 *                    count), with the count it was decided from and its reason, which announce
 *                    it if it lands late (LastAction.Unconfirmed); absent once a read has shown
 *                    it or it has settled without landing, and in items written before it
 *                    existed (confirmed). One this code cannot read counts as absent, with a
 *                    warning: a late landing then goes unannounced, nothing else changes
 * updatedAt       S  ISO-8601, for people reading the table
 * writeId         S  a random id per save: tells this cycle's own write from another's
 * </pre>
 *
 * <p>A write whose answer is lost (applied, then a timeout or a 5xx on the way back) is retried by
 * the SDK, and the retry's condition then fails against the write it made itself. So a failed
 * condition is read back: an item carrying this save's {@code writeId} at the new version is this
 * cycle's write, not a lost race. The write is idempotent; a real race is still lost. A read-back
 * that fails, or finds no time left, proves neither: the save throws, as one whose outcome is
 * unknown.
 */
public final class DynamoDbDecisionStore implements DecisionStore {

  private static final String TARGET = "target";
  private static final String VERSION = "version";
  private static final String RECOMMENDATIONS = "recommendations";
  private static final String LAST_SCALE_OUT = "lastScaleOut";
  private static final String BURST_STARTS = "burstStarts";
  private static final String QUIET_SINCE = "quietSince";
  private static final String PAUSES = "pauses";
  private static final String PENDING_DESIRED = "pendingDesired";
  private static final String PENDING_AT = "pendingAt";
  private static final String PENDING_SETTLED_BY = "pendingSettledBy";
  private static final String PENDING_UNCONFIRMED = "pendingUnconfirmed";
  private static final String UPDATED_AT = "updatedAt";
  private static final String WRITE_ID = "writeId";
  private static final String CADENCE = "cadence";

  /** Less time than this left for the read-back: the write counts as lost (the cycle holds). */
  private static final Duration MIN_READ_BACK = Duration.ofMillis(500);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final OperatorLog log;

  /** The targets whose unknown cadence this container has warned about: once is enough. */
  private final Set<TargetName> warnedCadence = ConcurrentHashMap.newKeySet();

  private final Set<TargetName> warnedBurstStarts = ConcurrentHashMap.newKeySet();

  private final Set<TargetName> warnedPauses = ConcurrentHashMap.newKeySet();

  private final Set<TargetName> warnedUnconfirmed = ConcurrentHashMap.newKeySet();

  /** A store that logs nothing: for tests and tools whose subject is not the log. */
  public DynamoDbDecisionStore(DynamoDbClient dynamoDb, String table) {
    this(dynamoDb, table, OperatorLog.NONE);
  }

  public DynamoDbDecisionStore(DynamoDbClient dynamoDb, String table, OperatorLog log) {
    if (table == null || table.isBlank()) {
      throw new IllegalArgumentException("SCALER_STATE_TABLE must name the state table");
    }
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.log = log;
  }

  @Override
  public StoredState load(TargetName target) {
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb
              .getItem(request -> request.tableName(table).key(key(target)).consistentRead(true))
              .item();
    } catch (SdkException e) {
      throw new AwsFailure("GetItem", table + "/" + target, e);
    }
    if (item == null || item.isEmpty()) {
      return StoredState.NONE;
    }
    try {
      List<String> unknownCadences = new ArrayList<>();
      List<String> unreadableStarts = new ArrayList<>();
      List<String> unreadablePauses = new ArrayList<>();
      List<String> unreadableUnconfirmed = new ArrayList<>();
      StoredState state =
          decode(item, unknownCadences, unreadableStarts, unreadablePauses, unreadableUnconfirmed);
      if (!unreadableUnconfirmed.isEmpty() && warnedUnconfirmed.add(target)) {
        log.warn(
            table
                + "/"
                + target
                + ": "
                + PENDING_UNCONFIRMED
                + " "
                + unreadableUnconfirmed
                + " is not {from: N, reason: S}; the last action is read as confirmed (if its"
                + " update lands late, it is not announced); the next save replaces it");
      }
      if (!unreadablePauses.isEmpty() && warnedPauses.add(target)) {
        log.warn(
            table
                + "/"
                + target
                + ": "
                + unreadablePauses
                + " is not the pauses' epoch millis and millis; read as none (no release after"
                + " long pauses until three more are seen); the next save replaces it");
      }
      if (!unreadableStarts.isEmpty() && warnedBurstStarts.add(target)) {
        log.warn(
            table
                + "/"
                + target
                + ": burstStarts "
                + unreadableStarts
                + " is not a list of epoch millis; read as none (no release between bursts until"
                + " four more are seen); the next save replaces it");
      }
      if (!unknownCadences.isEmpty() && warnedCadence.add(target)) {
        log.warn(
            table
                + "/"
                + target
                + ": unknown cadence "
                + unknownCadences
                + " (a later version's?) counted as ALONE; the next save replaces it");
      }
      return state;
    } catch (RuntimeException malformed) {
      // Never scale on state we cannot read: the target holds until the item is fixed or deleted.
      throw new AwsFailure(
          "GetItem",
          table + "/" + target,
          "the stored item is malformed ("
              + malformed.getMessage()
              + "); delete it to start the history afresh",
          FailureKind.LASTING);
    }
  }

  @Override
  public Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory next,
      Optional<LastAction> lastAction) {
    long version = expectedVersion + 1;
    Map<String, AttributeValue> item = new HashMap<>(key(target));
    item.put(VERSION, number(version));
    List<AttributeValue> recommendations = new ArrayList<>();
    for (Recommendation r : next.recommendations()) {
      Map<String, AttributeValue> fields = new HashMap<>();
      fields.put("at", number(r.at().toEpochMilli()));
      fields.put("tasks", number(r.tasks()));
      r.inFlight().ifPresent(inFlight -> fields.put("inFlight", number(inFlight)));
      if (r.cadence() != Cadence.EVERY_SAMPLE) {
        fields.put(CADENCE, AttributeValue.fromS(r.cadence().name()));
      }
      recommendations.add(AttributeValue.fromM(fields));
    }
    item.put(RECOMMENDATIONS, AttributeValue.fromL(recommendations));
    next.lastScaleOut().ifPresent(at -> item.put(LAST_SCALE_OUT, number(at.toEpochMilli())));
    if (!next.burstStarts().isEmpty()) {
      item.put(
          BURST_STARTS,
          AttributeValue.fromL(
              next.burstStarts().stream().map(at -> number(at.toEpochMilli())).toList()));
    }
    next.pauses().quietSince().ifPresent(at -> item.put(QUIET_SINCE, number(at.toEpochMilli())));
    if (!next.pauses().recent().isEmpty()) {
      item.put(
          PAUSES,
          AttributeValue.fromL(
              next.pauses().recent().stream().map(pause -> number(pause.toMillis())).toList()));
    }
    lastAction.ifPresent(
        action -> {
          item.put(PENDING_DESIRED, number(action.desired()));
          item.put(PENDING_AT, number(action.at().toEpochMilli()));
          item.put(PENDING_SETTLED_BY, number(action.settledBy().toEpochMilli()));
          action
              .unconfirmed()
              .ifPresent(
                  unconfirmed ->
                      item.put(
                          PENDING_UNCONFIRMED,
                          AttributeValue.fromM(
                              Map.of(
                                  "from",
                                  number(unconfirmed.from()),
                                  "reason",
                                  AttributeValue.fromS(unconfirmed.reason().name())))));
        });
    item.put(UPDATED_AT, AttributeValue.fromS(Instant.now().toString()));
    String writeId = UUID.randomUUID().toString();
    item.put(WRITE_ID, AttributeValue.fromS(writeId));

    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (expectedVersion == 0) {
      put.conditionExpression("attribute_not_exists(#target)")
          .expressionAttributeNames(Map.of("#target", TARGET));
    } else {
      put.conditionExpression("#version = :expected")
          .expressionAttributeNames(Map.of("#version", VERSION))
          .expressionAttributeValues(Map.of(":expected", number(expectedVersion)));
    }
    long started = System.nanoTime();
    try {
      dynamoDb.putItem(put.build());
    } catch (ConditionalCheckFailedException conditionFailed) {
      // The read-back shares the save's budget (one call at its worst), so that a save never
      // takes longer than the deadline counts for it.
      Duration left = AwsClients.WORST_CALL.minusNanos(System.nanoTime() - started);
      if (!isOwnWrite(target, version, writeId, left)) {
        return Optional.empty();
      }
    } catch (SdkException e) {
      throw new AwsFailure("PutItem", table + "/" + target, e);
    }
    return Optional.of(new StoredState(version, next, lastAction));
  }

  /**
   * Whether the stored item is this save's own write (applied by an attempt whose answer was lost).
   * When it cannot be read back, the outcome is unknown, not a lost race: that fails the save, and
   * the cycle reads the state back itself (if its deadline allows) before it acts or holds, so that
   * a record of an action that did not run is not left behind unsaid.
   */
  private boolean isOwnWrite(TargetName target, long version, String writeId, Duration left) {
    if (left.compareTo(MIN_READ_BACK) < 0) {
      throw unknownOutcome(target, "no time left in the save's budget to read the item back");
    }
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb
              .getItem(
                  request ->
                      request
                          .tableName(table)
                          .key(key(target))
                          .consistentRead(true)
                          .overrideConfiguration(o -> o.apiCallTimeout(left)))
              .item();
    } catch (SdkException e) {
      throw unknownOutcome(target, "the item could not be read back: " + e.getMessage());
    }
    if (item == null || item.isEmpty()) {
      return false; // nothing stored: no write of this save's is there
    }
    AttributeValue storedId = item.get(WRITE_ID);
    AttributeValue storedVersion = item.get(VERSION);
    return storedId != null
        && writeId.equals(storedId.s())
        && storedVersion != null
        && Long.toString(version).equals(storedVersion.n());
  }

  private AwsFailure unknownOutcome(TargetName target, String why) {
    return new AwsFailure(
        "PutItem",
        table + "/" + target,
        "the condition failed, and "
            + why
            + "; the write may have been applied by an attempt whose answer was lost");
  }

  private static StoredState decode(
      Map<String, AttributeValue> item,
      List<String> unknownCadences,
      List<String> unreadableStarts,
      List<String> unreadablePauses,
      List<String> unreadableUnconfirmed) {
    long version = Long.parseLong(required(item, VERSION).n());
    List<Recommendation> recommendations = new ArrayList<>();
    AttributeValue list = item.get(RECOMMENDATIONS);
    if (list != null) {
      for (AttributeValue entry : list.l()) {
        Map<String, AttributeValue> fields = entry.m();
        // Items written before the load term have no inFlight: they count for stabilization only.
        AttributeValue inFlight = fields.get("inFlight");
        recommendations.add(
            new Recommendation(
                Instant.ofEpochMilli(Long.parseLong(required(fields, "at").n())),
                Integer.parseInt(required(fields, "tasks").n()),
                inFlight == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(inFlight.n())),
                cadence(fields.get(CADENCE), unknownCadences)));
      }
    }
    Optional<Instant> lastScaleOut =
        Optional.ofNullable(item.get(LAST_SCALE_OUT))
            .map(value -> Instant.ofEpochMilli(Long.parseLong(value.n())));
    List<Instant> burstStarts = burstStarts(item.get(BURST_STARTS), unreadableStarts);
    Optional<LastAction> lastAction =
        Optional.ofNullable(item.get(PENDING_DESIRED))
            .map(
                desired -> {
                  int count = Integer.parseInt(desired.n());
                  Instant at = Instant.ofEpochMilli(Long.parseLong(required(item, PENDING_AT).n()));
                  LastAction action =
                      Optional.ofNullable(item.get(PENDING_SETTLED_BY))
                          .map(
                              by ->
                                  new LastAction(
                                      count, at, Instant.ofEpochMilli(Long.parseLong(by.n()))))
                          .orElseGet(() -> LastAction.legacy(count, at));
                  return unconfirmed(item.get(PENDING_UNCONFIRMED), action, unreadableUnconfirmed);
                });
    return new StoredState(
        version,
        new ScalingHistory(
            recommendations,
            lastScaleOut,
            burstStarts,
            pauses(item.get(QUIET_SINCE), item.get(PAUSES), unreadablePauses)),
        lastAction);
  }

  /**
   * The last action, unconfirmed as {@code value} says. Absent (items written before it existed, or
   * an action confirmed): confirmed. One this code cannot read (edited by hand, another type, a
   * reason it does not know, a count equal to the action's) is added to {@code unreadable} and read
   * as absent, as the burst starts are: it only announces an update that lands late, so the target
   * keeps scaling, that landing unannounced, rather than failing every load.
   */
  private static LastAction unconfirmed(
      AttributeValue value, LastAction action, List<String> unreadable) {
    if (value == null) {
      return action;
    }
    try {
      if (!value.hasM()) {
        throw new IllegalArgumentException("not a map");
      }
      Map<String, AttributeValue> fields = value.m();
      int from = Integer.parseInt(String.valueOf(required(fields, "from").n()));
      Reason reason = Reason.valueOf(String.valueOf(required(fields, "reason").s()));
      return action.unconfirmedFrom(from, reason);
    } catch (RuntimeException unreadableValue) {
      unreadable.add(String.valueOf(value));
      return action;
    }
  }

  /**
   * An entry's cadence. Items written before cadences existed have none: EVERY_SAMPLE, as the code
   * that wrote them counted their runs (an idle target's run then counts a sample every interval
   * until its next invocation, whose sample differs in cadence and is stored, so it is exact from
   * the first save after the upgrade). A value this code does not know (a later version's, left
   * behind by a rollback; a lowercase one; another attribute type) is added to {@code unknown} and
   * counts as ALONE: it implies no zero-in-flight samples in between, so the load term's mean can
   * only come out higher than its writer's (never a scale-in on a guess), and the target keeps
   * scaling instead of failing every load until someone deletes the item. The next save writes the
   * entry back with a cadence this code knows.
   */
  private static Cadence cadence(AttributeValue value, List<String> unknown) {
    if (value == null) {
      return Cadence.EVERY_SAMPLE;
    }
    for (Cadence cadence : Cadence.values()) {
      if (cadence.name().equals(value.s())) {
        return cadence;
      }
    }
    unknown.add(String.valueOf(value.s() != null ? value.s() : value));
    return Cadence.ALONE;
  }

  /**
   * The burst starts. Items written before they were kept have none: the next four bursts are seen
   * before a period is. One this code cannot read (edited by hand, another type) is added to {@code
   * unreadable} and read as none, which only withholds the release between bursts (the window
   * holds, as without the key), rather than failing the load: the burst starts hold no count the
   * target needs to scale safely.
   */
  private static List<Instant> burstStarts(AttributeValue value, List<String> unreadable) {
    if (value == null) {
      return List.of();
    }
    try {
      if (!value.hasL()) {
        throw new IllegalArgumentException("not a list");
      }
      return value.l().stream()
          .map(at -> Instant.ofEpochMilli(Long.parseLong(String.valueOf(at.n()))))
          .toList();
    } catch (RuntimeException unreadableValue) {
      unreadable.add(String.valueOf(value));
      return List.of();
    }
  }

  /**
   * The pauses. Items written before they were kept have none: three more are seen before a
   * release. Values this code cannot read (edited by hand, another type, a pause that is not
   * positive) are added to {@code unreadable} and read as none, as the burst starts are: that only
   * withholds the release after long pauses (the window and the delay hold, as without the key).
   */
  private static Pauses pauses(
      AttributeValue quietSince, AttributeValue recent, List<String> unreadable) {
    try {
      Optional<Instant> quiet =
          Optional.ofNullable(quietSince)
              .map(at -> Instant.ofEpochMilli(Long.parseLong(String.valueOf(at.n()))));
      if (recent != null && !recent.hasL()) {
        throw new IllegalArgumentException("not a list");
      }
      List<Duration> pauses =
          recent == null
              ? List.of()
              : recent.l().stream()
                  .map(pause -> Duration.ofMillis(Long.parseLong(String.valueOf(pause.n()))))
                  .toList();
      return new Pauses(quiet, pauses);
    } catch (RuntimeException unreadableValue) {
      unreadable.add(QUIET_SINCE + " " + quietSince + ", " + PAUSES + " " + recent);
      return Pauses.NONE;
    }
  }

  private static AttributeValue required(Map<String, AttributeValue> fields, String name) {
    AttributeValue value = fields.get(name);
    if (value == null) {
      throw new IllegalStateException(name + " is missing");
    }
    return value;
  }

  private static Map<String, AttributeValue> key(TargetName target) {
    return Map.of(TARGET, AttributeValue.fromS(target.value()));
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
