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
   *
   * <p>DynamoDB stamped its answer somewhere between this cycle's {@code now} and the answer's
   * arrival, so AWS's time is compared with that interval, not with {@code now}: a read that takes
   * seconds (an attempt timeout and the SDK's retry, up to {@code AwsClients.WORST_CALL}) is not a
   * clock behind. The price is that a clock behind by less than the read's own duration passes.
   */
  private void requireClockNear(Instant now) {
    Optional<String> date;
    // Monotonic: the cycle's clock may be a fixed or a wrong one; the read's duration is real.
    long started = System.nanoTime();
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
    Instant answered = now.plusNanos(System.nanoTime() - started);
    Optional<Duration> offset =
        date.flatMap(DynamoDbCycleLease::parseHttpDate)
            .flatMap(aws -> clockOffset(now, answered, aws));
    if (offset.isPresent()) {
      throw new AwsFailure(
          "GetItem",
          control.table() + "/" + KEY,
          "this machine's clock is "
              + Math.abs(offset.get().toSeconds())
              + " s "
              + (offset.get().isNegative() ? "behind" : "ahead of")
              + " AWS's (the state table's Date); fix its time sync: a cycle on it would misjudge"
              + " every stored time, so it reads and changes nothing");
    }
  }

  /**
   * How far this cycle's clock is from AWS's when further than {@link #MAX_CLOCK_OFFSET}: positive
   * when ahead, negative when behind, by the least the answer allows. {@code sent} and {@code
   * answered} are this cycle's times around the call, {@code date} the answer's {@code Date}.
   */
  static Optional<Duration> clockOffset(Instant sent, Instant answered, Instant date) {
    // The header is truncated to the second: its middle is the best guess.
    Instant aws = date.plusMillis(500);
    Duration ahead = Duration.between(aws, sent);
    Duration behind = Duration.between(answered, aws);
    if (ahead.compareTo(MAX_CLOCK_OFFSET) > 0) {
      return Optional.of(ahead);
    }
    if (behind.compareTo(MAX_CLOCK_OFFSET) > 0) {
      return Optional.of(behind.negated());
    }
    return Optional.empty();
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
