package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.CycleLease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The cycle's lease as one item of the state table ({@value #KEY}): attributes {@code holder} (an
 * id per cycle) and {@code until} (epoch millis, by the holder's clock). Taken with a conditional
 * PutItem (no item, an ended lease, or already this holder's: a retried write is harmless), given
 * back by ending it (a conditional UpdateItem that sets {@code until} to 0).
 */
public final class DynamoDbCycleLease implements CycleLease {

  static final String KEY = "#lease";

  private static final String HOLDER = "holder";
  private static final String UNTIL = "until";

  private final ControlItem control;

  public DynamoDbCycleLease(DynamoDbClient dynamoDb, String table) {
    this.control = new ControlItem(dynamoDb, table, KEY);
  }

  @Override
  public Optional<Holder> tryAcquire(Holder me, Instant now) {
    requireClockNear(now);
    Map<String, AttributeValue> item = new HashMap<>(control.keyAttribute());
    item.put(HOLDER, AttributeValue.fromS(me.id()));
    item.put(UNTIL, AttributeValue.fromN(Long.toString(me.until().toEpochMilli())));
    long endedBefore = now.minus(SKEW_ALLOWANCE).toEpochMilli();
    try {
      control
          .dynamoDb()
          .putItem(
              request ->
                  request
                      .tableName(control.table())
                      .item(item)
                      .conditionExpression(
                          "attribute_not_exists(#target) OR #until < :ended OR #holder = :me")
                      .expressionAttributeNames(
                          Map.of("#target", "target", "#until", UNTIL, "#holder", HOLDER))
                      .expressionAttributeValues(
                          Map.of(
                              ":ended", AttributeValue.fromN(Long.toString(endedBefore)),
                              ":me", AttributeValue.fromS(me.id()))));
      return Optional.empty();
    } catch (ConditionalCheckFailedException held) {
      Map<String, AttributeValue> stored = control.read();
      if (stored.isEmpty()) {
        return Optional.of(new Holder("unknown (released meanwhile)", now));
      }
      return Optional.of(
          new Holder(
              stored.get(HOLDER).s(), Instant.ofEpochMilli(Long.parseLong(stored.get(UNTIL).n()))));
    } catch (SdkException e) {
      throw control.failure("PutItem", e);
    }
  }

  /**
   * Reads the lease item (a consistent GetItem) and compares this cycle's clock with the time in
   * DynamoDB's answer (to the second); a clock further off than {@link #MAX_CLOCK_OFFSET} fails the
   * cycle before it writes anything: every time it stores or compares (the lease, a settling
   * action, the windows) is meant on one clock. Lambda's clock is kept by Amazon Time Sync; a
   * laptop's may not be. An answer without a date is not checked.
   */
  private void requireClockNear(Instant now) {
    Optional<String> date;
    try {
      date =
          control
              .dynamoDb()
              .getItem(
                  request ->
                      request
                          .tableName(control.table())
                          .key(control.keyAttribute())
                          .consistentRead(true))
              .sdkHttpResponse()
              .firstMatchingHeader("Date");
    } catch (SdkException e) {
      throw control.failure("GetItem", e);
    }
    Optional<Instant> aws = date.flatMap(DynamoDbCycleLease::parseHttpDate);
    if (aws.isEmpty()) {
      return;
    }
    // The header is truncated to the second: its middle is the best guess.
    Duration offset = Duration.between(aws.get().plusMillis(500), now);
    if (offset.abs().compareTo(MAX_CLOCK_OFFSET) > 0) {
      throw new AwsFailure(
          "GetItem",
          control.table() + "/" + KEY,
          "this machine's clock is "
              + Math.abs(offset.toSeconds())
              + " s "
              + (offset.isNegative() ? "behind" : "ahead of")
              + " AWS's (the state table's Date); fix its time sync: a cycle on it would misjudge"
              + " every stored time, so it reads and changes nothing");
    }
  }

  private static Optional<Instant> parseHttpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void release(Holder me) {
    // An ended lease rather than a deleted item: the holder's id stays for people reading the
    // table.
    try {
      control.update(
          request ->
              request
                  .updateExpression("SET #until = :ended")
                  .conditionExpression("#holder = :me")
                  .expressionAttributeNames(Map.of("#until", UNTIL, "#holder", HOLDER))
                  .expressionAttributeValues(
                      Map.of(
                          ":ended", AttributeValue.fromN("0"),
                          ":me", AttributeValue.fromS(me.id()))));
    } catch (SdkException e) {
      // Taken over, or unreachable: the lease then ends at its own time.
    }
  }
}
