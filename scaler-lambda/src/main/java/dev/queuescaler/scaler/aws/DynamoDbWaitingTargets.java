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
  private static final String WAITS = "waits";

  private final ControlItem control;

  public DynamoDbWaitingTargets(DynamoDbClient dynamoDb, String table) {
    this.control = new ControlItem(dynamoDb, table, KEY);
  }

  @Override
  public Map<TargetName, Integer> load() {
    Map<String, AttributeValue> item = control.read();
    Map<TargetName, Integer> waiting = new HashMap<>();
    if (!item.containsKey(WAITS)) {
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
    Map<String, AttributeValue> stored = new HashMap<>(control.keyAttribute());
    stored.put(WAITS, AttributeValue.fromM(waits));
    try {
      control.dynamoDb().putItem(request -> request.tableName(control.table()).item(stored));
    } catch (SdkException e) {
      throw control.failure("PutItem", e);
    }
  }
}
