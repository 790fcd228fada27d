package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.DecisionStore;
import dev.queuescaler.scaler.cycle.PendingAction;
import dev.queuescaler.scaler.cycle.StoredState;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 * recommendations L  [{at: N epoch millis, tasks: N, inFlight: N}], those inside the longest
 *                    window, at most 64 (ScalingHistory); inFlight absent in older items
 * lastScaleOut    N  epoch millis of the last scale-out that happened (absent before the first)
 * pendingDesired  N  the count the writer was about to set (absent when it changed nothing)
 * pendingAt       N  epoch millis of that decision
 * updatedAt       S  ISO-8601, for people reading the table
 * </pre>
 */
public final class DynamoDbDecisionStore implements DecisionStore {

  private static final String TARGET = "target";
  private static final String VERSION = "version";
  private static final String RECOMMENDATIONS = "recommendations";
  private static final String LAST_SCALE_OUT = "lastScaleOut";
  private static final String PENDING_DESIRED = "pendingDesired";
  private static final String PENDING_AT = "pendingAt";
  private static final String UPDATED_AT = "updatedAt";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbDecisionStore(DynamoDbClient dynamoDb, String table) {
    if (table == null || table.isBlank()) {
      throw new IllegalArgumentException("SCALER_STATE_TABLE must name the state table");
    }
    this.dynamoDb = dynamoDb;
    this.table = table;
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
      return decode(item);
    } catch (RuntimeException malformed) {
      // Never scale on state we cannot read: the target holds until the item is fixed or deleted.
      throw new AwsFailure(
          "GetItem",
          table + "/" + target,
          "the stored item is malformed ("
              + malformed.getMessage()
              + "); delete it to start the history afresh");
    }
  }

  @Override
  public Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory next,
      Optional<PendingAction> pending) {
    long version = expectedVersion + 1;
    Map<String, AttributeValue> item = new HashMap<>(key(target));
    item.put(VERSION, number(version));
    List<AttributeValue> recommendations = new ArrayList<>();
    for (Recommendation r : next.recommendations()) {
      Map<String, AttributeValue> fields = new HashMap<>();
      fields.put("at", number(r.at().toEpochMilli()));
      fields.put("tasks", number(r.tasks()));
      r.inFlight().ifPresent(inFlight -> fields.put("inFlight", number(inFlight)));
      recommendations.add(AttributeValue.fromM(fields));
    }
    item.put(RECOMMENDATIONS, AttributeValue.fromL(recommendations));
    next.lastScaleOut().ifPresent(at -> item.put(LAST_SCALE_OUT, number(at.toEpochMilli())));
    pending.ifPresent(
        action -> {
          item.put(PENDING_DESIRED, number(action.desired()));
          item.put(PENDING_AT, number(action.at().toEpochMilli()));
        });
    item.put(UPDATED_AT, AttributeValue.fromS(Instant.now().toString()));

    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (expectedVersion == 0) {
      put.conditionExpression("attribute_not_exists(#target)")
          .expressionAttributeNames(Map.of("#target", TARGET));
    } else {
      put.conditionExpression("#version = :expected")
          .expressionAttributeNames(Map.of("#version", VERSION))
          .expressionAttributeValues(Map.of(":expected", number(expectedVersion)));
    }
    try {
      dynamoDb.putItem(put.build());
    } catch (ConditionalCheckFailedException lostTheRace) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new AwsFailure("PutItem", table + "/" + target, e);
    }
    return Optional.of(new StoredState(version, next, pending));
  }

  private static StoredState decode(Map<String, AttributeValue> item) {
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
                    : OptionalLong.of(Long.parseLong(inFlight.n()))));
      }
    }
    Optional<Instant> lastScaleOut =
        Optional.ofNullable(item.get(LAST_SCALE_OUT))
            .map(value -> Instant.ofEpochMilli(Long.parseLong(value.n())));
    Optional<PendingAction> pending =
        Optional.ofNullable(item.get(PENDING_DESIRED))
            .map(
                desired ->
                    new PendingAction(
                        Integer.parseInt(desired.n()),
                        Instant.ofEpochMilli(Long.parseLong(required(item, PENDING_AT).n()))));
    return new StoredState(version, new ScalingHistory(recommendations, lastScaleOut), pending);
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
