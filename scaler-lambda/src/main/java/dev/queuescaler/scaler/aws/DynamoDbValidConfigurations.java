package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ValidConfigurations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Each target's last valid configuration as an item of the state table, under a key no target can
 * have ({@code #configuration:<target>}: target names are {@code [A-Za-z0-9._-]}): attribute {@code
 * values}, a map of key name to value as found under the prefix, and {@code storedAt}, epoch
 * millis. Written only when a target's valid configuration changes; read by a container that does
 * not know the target yet, a hundred targets a call (BatchGetItem); deleted when the target's
 * parameters are all gone. An item that cannot be decoded reads as none: a target never runs on a
 * configuration it cannot read.
 */
public final class DynamoDbValidConfigurations implements ValidConfigurations {

  static final String KEY_PREFIX = "#configuration:";
  private static final String TARGET = "target";
  private static final String VALUES = "values";
  private static final String STORED_AT = "storedAt";

  /** BatchGetItem's limit of keys per call. */
  static final int KEYS_PER_READ = 100;

  /**
   * Calls per batch while DynamoDB leaves keys unprocessed (it does under throttling, which the
   * SDK's own retries have already waited on): then the batch fails, and the cycle holds the
   * targets that needed a stored configuration.
   */
  static final int CALLS_PER_BATCH = 3;

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbValidConfigurations(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public Map<TargetName, Stored> load(Collection<TargetName> targets) {
    Map<TargetName, Stored> found = new HashMap<>();
    List<TargetName> all = new ArrayList<>(targets);
    for (int from = 0; from < all.size(); from += KEYS_PER_READ) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (TargetName target : all.subList(from, Math.min(all.size(), from + KEYS_PER_READ))) {
        keys.add(item(target).keyAttribute());
      }
      readBatch(keys).forEach(item -> decode(item, found));
    }
    return found;
  }

  private List<Map<String, AttributeValue>> readBatch(List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, KeysAndAttributes> asked =
        Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    for (int call = 0; call < CALLS_PER_BATCH && !asked.isEmpty(); call++) {
      Map<String, KeysAndAttributes> request = asked;
      BatchGetItemResponse response;
      try {
        response = dynamoDb.batchGetItem(b -> b.requestItems(request));
      } catch (SdkException e) {
        throw new AwsFailure("BatchGetItem", table, e);
      }
      items.addAll(response.responses().getOrDefault(table, List.of()));
      asked = response.unprocessedKeys();
    }
    if (!asked.isEmpty()) {
      throw new AwsFailure(
          "BatchGetItem",
          table,
          asked.get(table).keys().size()
              + " keys still unprocessed after "
              + CALLS_PER_BATCH
              + " calls");
    }
    return items;
  }

  private static void decode(Map<String, AttributeValue> item, Map<TargetName, Stored> into) {
    String key = item.get(TARGET).s();
    if (key == null || !key.startsWith(KEY_PREFIX)) {
      return;
    }
    String name = key.substring(KEY_PREFIX.length());
    AttributeValue values = item.get(VALUES);
    AttributeValue storedAt = item.get(STORED_AT);
    if (!TargetName.isValid(name) || values == null || !values.hasM() || storedAt == null) {
      return;
    }
    Map<String, String> decoded = new HashMap<>();
    for (Map.Entry<String, AttributeValue> value : values.m().entrySet()) {
      if (value.getValue().s() == null) {
        return;
      }
      decoded.put(value.getKey(), value.getValue().s());
    }
    try {
      into.put(
          new TargetName(name),
          new Stored(decoded, Instant.ofEpochMilli(Long.parseLong(storedAt.n()))));
    } catch (RuntimeException malformed) {
      // Read as none: the target then holds rather than run on a guess.
    }
  }

  @Override
  public void save(TargetName target, Stored configuration) {
    ControlItem item = item(target);
    Map<String, AttributeValue> values = new HashMap<>();
    configuration.values().forEach((key, value) -> values.put(key, AttributeValue.fromS(value)));
    Map<String, AttributeValue> stored = new HashMap<>(item.keyAttribute());
    stored.put(VALUES, AttributeValue.fromM(values));
    stored.put(
        STORED_AT, AttributeValue.fromN(Long.toString(configuration.storedAt().toEpochMilli())));
    try {
      dynamoDb.putItem(request -> request.tableName(table).item(stored));
    } catch (SdkException e) {
      throw item.failure("PutItem", e);
    }
  }

  @Override
  public void forget(TargetName target) {
    ControlItem item = item(target);
    try {
      dynamoDb.deleteItem(request -> request.tableName(table).key(item.keyAttribute()));
    } catch (SdkException e) {
      throw item.failure("DeleteItem", e);
    }
  }

  private ControlItem item(TargetName target) {
    return new ControlItem(dynamoDb, table, KEY_PREFIX + target.value());
  }
}
