package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.WaitingTargets;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The waiting targets as one item of the state table, under a key no target can have ({@value
 * #KEY}): attribute {@code waits}, a map of target name to cycles waited. The last full cycle's
 * write wins: of two cycles that overlap, the waits of the one that ends first are replaced by the
 * other's, so the order is exact between consecutive cycles and approximate while they overlap.
 */
public final class DynamoDbWaitingTargets implements WaitingTargets {

  static final String KEY = "#waiting";
  private static final String TARGET = "target";
  private static final String WAITS = "waits";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbWaitingTargets(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public Map<TargetName, Integer> load() {
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb
              .getItem(request -> request.tableName(table).key(key()).consistentRead(true))
              .item();
    } catch (SdkException e) {
      throw new AwsFailure("GetItem", table + "/" + KEY, e);
    }
    Map<TargetName, Integer> waiting = new HashMap<>();
    if (item == null || !item.containsKey(WAITS)) {
      return waiting;
    }
    item.get(WAITS)
        .m()
        .forEach(
            (name, cycles) -> {
              if (TargetName.isValid(name)) {
                waiting.put(new TargetName(name), Integer.parseInt(cycles.n()));
              }
            });
    return waiting;
  }

  @Override
  public void save(Map<TargetName, Integer> waiting) {
    Map<String, AttributeValue> waits = new HashMap<>();
    waiting.forEach(
        (name, cycles) -> waits.put(name.value(), AttributeValue.fromN(cycles.toString())));
    try {
      dynamoDb.putItem(
          request ->
              request
                  .tableName(table)
                  .item(
                      Map.of(
                          TARGET, AttributeValue.fromS(KEY), WAITS, AttributeValue.fromM(waits))));
    } catch (SdkException e) {
      throw new AwsFailure("PutItem", table + "/" + KEY, e);
    }
  }

  private static Map<String, AttributeValue> key() {
    return Map.of(TARGET, AttributeValue.fromS(KEY));
  }
}
