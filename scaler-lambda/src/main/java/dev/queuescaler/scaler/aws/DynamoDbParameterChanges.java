package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The parameter changes as one item of the state table, under a key no target can have ({@value
 * #KEY}: target names are {@code [A-Za-z0-9._-]}): {@code changedAt} for a change of the whole
 * prefix, and one attribute {@code target:<name>} per changed target. Each is written only forward
 * in time (a condition), so an older event never hides a newer one. A target's attribute older than
 * {@link #FORGOTTEN_AFTER} is removed when another change is recorded: every container has read the
 * whole prefix again by then, so it says nothing, and the item stays small.
 *
 * <p>The item never holds many more than {@link #MOST_TARGETS} targets: the change that takes it
 * past them replaces them all with one change of the whole prefix at the latest of their times (a
 * walk then reads every target, so none of their changes is lost), and a storm of changes costs one
 * walk instead of a path each. At 2,000 targets with 64-character names the item is about 160 KB,
 * DynamoDB's limit 400 KB ({@code ControlItemsIT}). Each write counts as {@code version}, so that
 * the replacement never drops a target recorded between its read and its write.
 */
public final class DynamoDbParameterChanges implements ParameterChanges {

  static final String KEY = "#parameters";
  private static final String CHANGED_AT = "changedAt";
  private static final String TARGET_PREFIX = "target:";
  private static final String VERSION = "version";

  /**
   * Targets the item holds at most (give or take the writers racing): well under DynamoDB's 400 KB
   * item limit with the longest names, and more than half a walk over most prefixes, so a walk
   * reads them for less.
   */
  public static final int MOST_TARGETS = 2_000;

  /** Attempts to replace a full item when other writers race it. */
  private static final int REPLACE_ATTEMPTS = 3;

  /** Longer than any container keeps a whole read (5 minutes), with room to spare. */
  static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(30);

  /** Old attributes removed per recorded change: keeps the expression far below its 4 KB limit. */
  static final int FORGOTTEN_PER_CHANGE = 50;

  private final ControlItem control;

  public DynamoDbParameterChanges(DynamoDbClient dynamoDb, String table) {
    this.control = new ControlItem(dynamoDb, table, KEY);
  }

  @Override
  public Recorded recorded() {
    Map<String, AttributeValue> item = control.read();
    if (item.isEmpty()) {
      return Recorded.NONE;
    }
    Map<TargetName, Instant> byTarget = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (name.startsWith(TARGET_PREFIX)) {
            String target = name.substring(TARGET_PREFIX.length());
            if (TargetName.isValid(target)) {
              byTarget.put(new TargetName(target), instant(value));
            }
          }
        });
    return new Recorded(Optional.ofNullable(item.get(CHANGED_AT)).map(v -> instant(v)), byTarget);
  }

  @Override
  public void recordChange(Instant at, Optional<TargetName> target) {
    String attribute = target.map(t -> TARGET_PREFIX + t.value()).orElse(CHANGED_AT);
    Map<String, AttributeValue> item;
    try {
      item =
          control.update(
              request ->
                  request
                      .updateExpression("SET #at = :at ADD #version :one")
                      .conditionExpression("attribute_not_exists(#at) OR #at < :at")
                      .expressionAttributeNames(Map.of("#at", attribute, "#version", VERSION))
                      .expressionAttributeValues(
                          Map.of(":at", millis(at), ":one", AttributeValue.fromN("1"))));
    } catch (ConditionalCheckFailedException newerRecorded) {
      return; // a later change is already recorded; it covers this one
    } catch (SdkException e) {
      throw control.failure("UpdateItem", e);
    }
    for (int attempt = 1; targets(item) > MOST_TARGETS && attempt <= REPLACE_ATTEMPTS; attempt++) {
      Optional<Map<String, AttributeValue>> raced = asOneChangeOfThePrefix(item);
      if (raced.isEmpty()) {
        return;
      }
      item = raced.get();
    }
    forgetOld(item, at);
  }

  private static long targets(Map<String, AttributeValue> item) {
    return item.keySet().stream().filter(name -> name.startsWith(TARGET_PREFIX)).count();
  }

  /**
   * Replaces the targets' changes with one change of the whole prefix at the latest time the item
   * holds, if no change was recorded since {@code item} was read.
   *
   * @return empty when replaced; else the item as another writer left it, to try again
   */
  private Optional<Map<String, AttributeValue>> asOneChangeOfThePrefix(
      Map<String, AttributeValue> item) {
    Instant latest = Instant.EPOCH;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      if (attribute.getKey().startsWith(TARGET_PREFIX) || attribute.getKey().equals(CHANGED_AT)) {
        Instant at = instant(attribute.getValue());
        latest = at.isAfter(latest) ? at : latest;
      }
    }
    AttributeValue version =
        Optional.ofNullable(item.get(VERSION)).orElseGet(() -> AttributeValue.fromN("0"));
    try {
      control.replace(
          Map.of(
              CHANGED_AT,
              millis(latest),
              VERSION,
              AttributeValue.fromN(Long.toString(Long.parseLong(version.n()) + 1))),
          "#version = :seen",
          Map.of("#version", VERSION),
          Map.of(":seen", version));
      return Optional.empty();
    } catch (ConditionalCheckFailedException recordedMeanwhile) {
      try {
        return Optional.of(control.read());
      } catch (RuntimeException e) {
        return Optional.empty(); // the next change recorded tries again
      }
    } catch (SdkException e) {
      // The change itself is recorded; the next one replaces the targets again.
      return Optional.empty();
    }
  }

  /**
   * Removes targets' attributes older than {@link #FORGOTTEN_AFTER}, only if none of them changed
   * since they were seen; a lost race leaves them for the next change.
   */
  private void forgetOld(Map<String, AttributeValue> item, Instant now) {
    List<String> conditions = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      if (removed.size() == FORGOTTEN_PER_CHANGE) {
        break; // the rest go with the next changes
      }
      if (!attribute.getKey().startsWith(TARGET_PREFIX)
          || !instant(attribute.getValue()).isBefore(now.minus(FORGOTTEN_AFTER))) {
        continue;
      }
      int i = removed.size();
      names.put("#a" + i, attribute.getKey());
      values.put(":v" + i, attribute.getValue());
      conditions.add("#a" + i + " = :v" + i);
      removed.add("#a" + i);
    }
    if (removed.isEmpty()) {
      return;
    }
    try {
      control.update(
          request ->
              request
                  .updateExpression("REMOVE " + String.join(", ", removed))
                  .conditionExpression(String.join(" AND ", conditions))
                  .expressionAttributeNames(names)
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException changedMeanwhile) {
      // One of them changed again: keep them all until the next change is recorded.
    } catch (SdkException e) {
      // The change itself is recorded; forgetting old ones is housekeeping.
    }
  }

  private static AttributeValue millis(Instant at) {
    return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
  }

  private static Instant instant(AttributeValue value) {
    return Instant.ofEpochMilli(Long.parseLong(value.n()));
  }
}
