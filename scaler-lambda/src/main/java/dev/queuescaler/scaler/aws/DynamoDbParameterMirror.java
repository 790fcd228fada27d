package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.ParameterMirror;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The parameter mirror in the state table, under keys no target can have: the control item {@value
 * #CONTROL} (the prefix it mirrors, the walk's cursor, and attribute {@code shard<n>} with each
 * written shard's version) and one item per shard, {@code #parameters-mirror:<n>} (attribute {@code
 * version}, and {@code entries}: group to {@code {values, readAt}}, each value by its name without
 * the group). A shard is written whole (PutItem), only when one of its entries changed; at 10,000
 * targets with all 24 keys the largest of 128 shards is 72 KB, under a fifth of DynamoDB's 400 KB
 * item limit (ParameterMirrorIT).
 */
public final class DynamoDbParameterMirror implements ParameterMirror {

  static final String CONTROL = "#parameters-mirror";
  static final String SHARD_PREFIX = CONTROL + ":";
  private static final String SHARD_VERSION = "shard";
  private static final String VERSION = "version";
  private static final String ENTRIES = "entries";
  private static final String VALUES = "values";
  private static final String READ_AT = "readAt";
  private static final String PREFIX = "prefix";

  /** BatchGetItem's limit of keys per call. */
  private static final int KEYS_PER_READ = 100;

  /** Calls in a row that return nothing while DynamoDB leaves keys unprocessed: then it fails. */
  private static final int CALLS_PER_BATCH = 3;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final ControlItem control;
  private final int shards;

  /**
   * The prefix this object claimed: every later write of the control item is conditional on it, so
   * that a process with another prefix that claimed the item meanwhile is never overwritten.
   */
  private volatile Optional<String> claimed = Optional.empty();

  public DynamoDbParameterMirror(DynamoDbClient dynamoDb, String table) {
    this(dynamoDb, table, DEFAULT_SHARDS);
  }

  public DynamoDbParameterMirror(DynamoDbClient dynamoDb, String table, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1 but was " + shards);
    }
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.control = new ControlItem(dynamoDb, table, CONTROL);
    this.shards = shards;
  }

  @Override
  public int shards() {
    return shards;
  }

  @Override
  public Control control() {
    Map<String, AttributeValue> item = control.read();
    if (item.isEmpty()) {
      return Control.NONE;
    }
    Map<Integer, Long> versions = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (name.startsWith(SHARD_VERSION) && value.n() != null) {
            try {
              versions.put(
                  Integer.parseInt(name.substring(SHARD_VERSION.length())),
                  Long.parseLong(value.n()));
            } catch (NumberFormatException notAShard) {
              // Not written by this class: ignored.
            }
          }
        });
    Optional<String> prefix =
        Optional.ofNullable(item.get(PREFIX)).map(AttributeValue::s).filter(p -> !p.isEmpty());
    return new Control(prefix, cursor(item), versions);
  }

  /**
   * Recorded with the next write of the control item (the shards' versions, or the cursor), not by
   * a write of its own: a cycle makes no more calls for it.
   */
  @Override
  public void claim(String prefix) {
    claimed = Optional.of(prefix);
  }

  /**
   * Updates the control item with {@code sets}, and with the claimed prefix: set again (the item
   * may have been deleted meanwhile), on condition that no other prefix holds it.
   */
  private void updateControl(
      List<String> sets,
      String remove,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    Optional<String> prefix = claimed;
    prefix.ifPresent(
        mine -> {
          sets.add("#prefix = :prefix");
          names.put("#prefix", PREFIX);
          values.put(":prefix", AttributeValue.fromS(mine));
        });
    String expression = "SET " + String.join(", ", sets) + remove;
    try {
      control.update(
          request ->
              request
                  .updateExpression(expression)
                  .conditionExpression(
                      prefix.isPresent()
                          ? "attribute_not_exists(#prefix) OR #prefix = :prefix"
                          : null)
                  .expressionAttributeNames(names)
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      throw new IllegalStateException(
          "the state table "
              + table
              + " holds the parameter read model of another prefix than "
              + prefix.orElseThrow()
              + ": nothing written",
          e);
    } catch (SdkException e) {
      throw control.failure("UpdateItem", e);
    }
  }

  /** The stored cursor; none when it is missing or cannot be decoded (a walk then starts). */
  private static Optional<Cursor> cursor(Map<String, AttributeValue> item) {
    try {
      if (!item.containsKey("walk")) {
        return Optional.empty();
      }
      Map<String, String> carried = new HashMap<>();
      Optional.ofNullable(item.get("carried"))
          .filter(AttributeValue::hasM)
          .ifPresent(m -> m.m().forEach((name, value) -> carried.put(name, value.s())));
      return Optional.of(
          new Cursor(
              Long.parseLong(item.get("walk").n()),
              millis(item.get("startedAt")),
              Boolean.TRUE.equals(item.get("urgent").bool()),
              millis(item.get("covers")),
              Optional.ofNullable(item.get("from")).map(AttributeValue::s),
              carried));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  @Override
  public Map<Integer, Shard> load(Collection<Integer> wanted) {
    Map<Integer, Shard> found = new HashMap<>();
    List<Integer> all = new ArrayList<>(wanted);
    for (int from = 0; from < all.size(); from += KEYS_PER_READ) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (int shard : all.subList(from, Math.min(all.size(), from + KEYS_PER_READ))) {
        keys.add(shardItem(shard).keyAttribute());
      }
      for (Map<String, AttributeValue> item : readBatch(keys)) {
        Map.Entry<Integer, Shard> shard = decode(item);
        found.put(shard.getKey(), shard.getValue());
      }
    }
    return found;
  }

  private List<Map<String, AttributeValue>> readBatch(List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, KeysAndAttributes> asked =
        Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    // A call returns up to 16 MB and leaves the rest unprocessed; it also leaves keys under
    // throttling, which the SDK's retries have already waited on: stop after calls that return
    // none.
    for (int barren = 0; barren < CALLS_PER_BATCH && !asked.isEmpty(); ) {
      Map<String, KeysAndAttributes> request = asked;
      BatchGetItemResponse response;
      try {
        response = dynamoDb.batchGetItem(b -> b.requestItems(request));
      } catch (SdkException e) {
        throw new AwsFailure("BatchGetItem", table, e);
      }
      List<Map<String, AttributeValue>> returned =
          response.responses().getOrDefault(table, List.of());
      items.addAll(returned);
      barren = returned.isEmpty() ? barren + 1 : 0;
      asked = response.unprocessedKeys();
    }
    if (!asked.isEmpty()) {
      throw new AwsFailure("BatchGetItem", table, "keys still unprocessed");
    }
    return items;
  }

  /**
   * A shard as stored, or {@link Shard#undecodable} with why: the reader reports it and rebuilds
   * the shard, instead of silently dropping its targets.
   */
  private static Map.Entry<Integer, Shard> decode(Map<String, AttributeValue> item) {
    // The key is the one asked for (BatchGetItem returns only asked keys), so it parses.
    int number = Integer.parseInt(item.get("target").s().substring(SHARD_PREFIX.length()));
    try {
      Map<String, Entry> entries = new HashMap<>();
      // Strictly: the SDK answers m() of a string with an empty map, so a lenient read would take
      // a mangled item for a shard without targets.
      mapOf(item.get(ENTRIES), ENTRIES)
          .forEach(
              (group, entry) -> {
                Map<String, AttributeValue> fields = mapOf(entry, group);
                Map<String, String> values = new HashMap<>();
                mapOf(fields.get(VALUES), group + "." + VALUES)
                    .forEach(
                        (suffix, value) ->
                            values.put(nameOf(group, suffix), stringOf(value, group + suffix)));
                entries.put(group, new Entry(values, millis(fields.get(READ_AT))));
              });
      return Map.entry(number, new Shard(Long.parseLong(item.get(VERSION).n()), entries));
    } catch (RuntimeException malformed) {
      return Map.entry(
          number,
          Shard.undecodable(
              "item "
                  + SHARD_PREFIX
                  + number
                  + " is not a shard this version can read ("
                  + (malformed.getMessage() == null
                      ? malformed.getClass().getSimpleName()
                      : malformed.getMessage())
                  + ")"));
    }
  }

  private static Map<String, AttributeValue> mapOf(AttributeValue value, String what) {
    if (value == null || !value.hasM()) {
      throw new IllegalArgumentException(what + " is not a map");
    }
    return value.m();
  }

  private static String stringOf(AttributeValue value, String what) {
    if (value == null || value.s() == null) {
      throw new IllegalArgumentException(what + " is not a string");
    }
    return value.s();
  }

  @Override
  public Map<Integer, Long> save(Map<Integer, Map<String, Entry>> changed) {
    if (changed.isEmpty()) {
      return Map.of();
    }
    Map<Integer, Long> versions = new HashMap<>();
    changed.keySet().forEach(shard -> versions.put(shard, ThreadLocalRandom.current().nextLong()));
    // The versions first: a shard write that then fails makes readers read it again.
    List<String> sets = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    versions.forEach(
        (shard, version) -> {
          sets.add("#s" + shard + " = :s" + shard);
          names.put("#s" + shard, SHARD_VERSION + shard);
          values.put(":s" + shard, AttributeValue.fromN(Long.toString(version)));
        });
    updateControl(sets, "", names, values);
    changed.forEach((shard, entries) -> put(shard, versions.get(shard), entries));
    return versions;
  }

  private void put(int shard, long version, Map<String, Entry> entries) {
    ControlItem item = shardItem(shard);
    Map<String, AttributeValue> encoded = new HashMap<>();
    entries.forEach(
        (group, entry) -> {
          Map<String, AttributeValue> values = new HashMap<>();
          entry
              .values()
              .forEach(
                  (name, value) -> values.put(suffixOf(group, name), AttributeValue.fromS(value)));
          encoded.put(
              group,
              AttributeValue.fromM(
                  Map.of(VALUES, AttributeValue.fromM(values), READ_AT, millis(entry.readAt()))));
        });
    Map<String, AttributeValue> stored = new HashMap<>(item.keyAttribute());
    stored.put(VERSION, AttributeValue.fromN(Long.toString(version)));
    stored.put(ENTRIES, AttributeValue.fromM(encoded));
    try {
      dynamoDb.putItem(request -> request.tableName(table).item(stored));
    } catch (SdkException e) {
      throw item.failure("PutItem", e);
    }
  }

  @Override
  public void advance(Cursor cursor) {
    Map<String, AttributeValue> carried = new HashMap<>();
    cursor.carried().forEach((name, value) -> carried.put(name, AttributeValue.fromS(value)));
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":walk", AttributeValue.fromN(Long.toString(cursor.walk())));
    values.put(":startedAt", millis(cursor.startedAt()));
    values.put(":urgent", AttributeValue.fromBool(cursor.urgent()));
    values.put(":covers", millis(cursor.coversChangesBefore()));
    values.put(":carried", AttributeValue.fromM(carried));
    // Every attribute by a placeholder: some of these words are reserved in expressions.
    Map<String, String> names = new HashMap<>();
    List<String> sets = new ArrayList<>();
    for (String attribute : List.of("walk", "startedAt", "urgent", "covers", "carried")) {
      names.put("#" + attribute, attribute);
      sets.add("#" + attribute + " = :" + attribute);
    }
    names.put("#from", "from");
    String remove;
    if (cursor.from().isPresent()) {
      values.put(":from", AttributeValue.fromS(cursor.from().get()));
      sets.add("#from = :from");
      remove = "";
    } else {
      remove = " REMOVE #from";
    }
    updateControl(sets, remove, names, values);
  }

  /**
   * A name as stored in its group: without the group ({@code /max-tasks} for {@code
   * orders/max-tasks}), which at 24 keys a target is a fifth of a shard; {@value #WHOLE} for a name
   * that is its own group (it belongs to no target).
   */
  static String suffixOf(String group, String name) {
    return name.equals(group) ? WHOLE : name.substring(group.length());
  }

  static String nameOf(String group, String suffix) {
    return suffix.equals(WHOLE) ? group : group + suffix;
  }

  private static final String WHOLE = ".";

  private ControlItem shardItem(int shard) {
    return new ControlItem(dynamoDb, table, SHARD_PREFIX + shard);
  }

  private static AttributeValue millis(Instant at) {
    return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
  }

  private static Instant millis(AttributeValue value) {
    return Instant.ofEpochMilli(Long.parseLong(value.n()));
  }
}
