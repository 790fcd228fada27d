package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.CycleLease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

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
   * The longest a lease read may take and still show an exact clock within {@link
   * #MAX_CLOCK_OFFSET}: the answer's {@code Date}, to the second, adds up to one.
   */
  static final Duration CLOCK_READ_LIMIT = MAX_CLOCK_OFFSET.minusSeconds(1);

  /**
   * Reads the lease item (a consistent GetItem) and compares this cycle's clock with the time in
   * DynamoDB's answer; a clock the answer cannot show within {@link #MAX_CLOCK_OFFSET} of AWS's
   * fails the cycle before it writes anything: every time it stores or compares (the lease, a
   * settling action, the windows) is meant on one clock, and the lease's skew allowance counts on
   * two clocks that pass being at most twice that apart. Lambda's clock is kept by Amazon Time
   * Sync; a laptop's may not be. An answer without a date is not checked.
   *
   * <p>DynamoDB stamped its answer somewhere between sending the read and its arrival, and the
   * {@code Date} is truncated to the second: an answer shows the clock within an interval as wide
   * as the read took plus one second. A read that retried is as wide as all its attempts, and its
   * {@code Date} is the last attempt's, so a wide interval must not be judged by its near end (a
   * clock 9 s ahead would pass after one 5 s attempt timeout) nor refuse a clock in sync. So the
   * clock passes only when the whole interval lies within the offset allowed; a read too slow to
   * show that is read again once, limited to {@link #CLOCK_READ_LIMIT} (the widest read that can
   * show an exact clock), and the cycle is refused, naming both reads, when neither shows it.
   *
   * <p>Timing only the attempt that answered (an SDK interceptor) would narrow a retried read but
   * not a slow single attempt, and needs the interceptor on the client and its time handed back per
   * call; a second read needs nothing outside this class and is rare (only after a slow read). The
   * price of judging the whole interval: only a clock within 4 s (less the read's duration) is sure
   * to pass; one 4 to 5 s off may be refused, by the second its answer was truncated from.
   */
  private void requireClockNear(Instant now) {
    // Monotonic: the cycle's clock may be a fixed or a wrong one; the reads' durations are real.
    long started = System.nanoTime();
    Optional<Reading> first;
    try {
      first = read(now, started, request -> {});
    } catch (SdkException e) {
      throw control.failure("GetItem", e);
    }
    if (first.isEmpty()) {
      return;
    }
    refuseIfOff(first.get());
    if (unprovenOffset(first.get().sent(), first.get().answered(), first.get().date()).isEmpty()) {
      return;
    }
    long again = System.nanoTime();
    Reading second;
    try {
      second =
          read(
                  now,
                  started,
                  request ->
                      request.overrideConfiguration(call -> call.apiCallTimeout(CLOCK_READ_LIMIT)))
              .orElse(first.get());
    } catch (ApiCallTimeoutException slow) {
      throw clockRefused(
          "lease reads that took "
              + seconds(first.get().took())
              + " s and "
              + seconds(Duration.ofNanos(System.nanoTime() - again))
              + " s (given up) cannot show this machine's clock within "
              + MAX_CLOCK_OFFSET.toSeconds()
              + " s of AWS's (the state table's Date); a cycle on a clock it cannot check reads"
              + " and changes nothing, and the next cycle checks it again");
    } catch (SdkException e) {
      throw control.failure("GetItem", e);
    }
    refuseIfOff(second);
    Optional<Duration> unproven = unprovenOffset(second.sent(), second.answered(), second.date());
    if (unproven.isPresent()) {
      throw clockRefused(
          "this machine's clock may be "
              + seconds(unproven.get().abs())
              + " s "
              + (unproven.get().isNegative() ? "behind" : "ahead of")
              + " AWS's (the state table's Date, to the second, on lease reads that took "
              + seconds(first.get().took())
              + " s and "
              + seconds(second.took())
              + " s), more than the "
              + MAX_CLOCK_OFFSET.toSeconds()
              + " s a cycle allows; fix its time sync (slow reads widen the doubt: the next"
              + " cycle checks again): a cycle on it could misjudge every stored time, so it"
              + " reads and changes nothing");
    }
  }

  /** One lease read by this cycle's clock, and AWS's {@code Date} in its answer. */
  private record Reading(Instant sent, Instant answered, Instant date) {
    Duration took() {
      return Duration.between(sent, answered);
    }
  }

  /**
   * A consistent GetItem of the lease item, timed from {@code started} (when the cycle's clock read
   * {@code now}); empty when the answer has no (readable) {@code Date}.
   */
  private Optional<Reading> read(
      Instant now, long started, Consumer<GetItemRequest.Builder> options) {
    Instant sent = now.plusNanos(System.nanoTime() - started);
    Optional<String> date =
        control
            .dynamoDb()
            .getItem(
                request -> {
                  request
                      .tableName(control.table())
                      .key(control.keyAttribute())
                      .consistentRead(true);
                  options.accept(request);
                })
            .sdkHttpResponse()
            .firstMatchingHeader("Date");
    Instant answered = now.plusNanos(System.nanoTime() - started);
    return date.flatMap(DynamoDbCycleLease::parseHttpDate)
        .map(aws -> new Reading(sent, answered, aws));
  }

  /** Refuses the cycle when the answer shows its clock further off than allowed. */
  private void refuseIfOff(Reading reading) {
    Optional<Duration> offset = clockOffset(reading.sent(), reading.answered(), reading.date());
    if (offset.isPresent()) {
      throw clockRefused(
          "this machine's clock is "
              + Math.abs(offset.get().toSeconds())
              + " s "
              + (offset.get().isNegative() ? "behind" : "ahead of")
              + " AWS's (the state table's Date); fix its time sync: a cycle on it would misjudge"
              + " every stored time, so it reads and changes nothing");
    }
  }

  private AwsFailure clockRefused(String problem) {
    return new AwsFailure("GetItem", control.table() + "/" + KEY, problem);
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  /**
   * How far this cycle's clock is from AWS's when further than {@link #MAX_CLOCK_OFFSET}: positive
   * when ahead, negative when behind, by the least the answer allows (the {@code Date}'s second
   * taken at its middle). {@code sent} and {@code answered} are this cycle's times around the read,
   * {@code date} the answer's {@code Date}.
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

  /**
   * How far this cycle's clock may be from AWS's by this answer, when that may be further than
   * {@link #MAX_CLOCK_OFFSET} (empty when the answer shows it within): positive when ahead,
   * negative when behind, the farther side when both. AWS's time was in {@code [date, date + 1 s)}
   * at a moment this clock read in {@code [sent, answered]}.
   */
  static Optional<Duration> unprovenOffset(Instant sent, Instant answered, Instant date) {
    Duration ahead = Duration.between(date, answered);
    Duration behind = Duration.between(sent, date.plusSeconds(1));
    Duration farthest = ahead.compareTo(behind) >= 0 ? ahead : behind.negated();
    return farthest.abs().compareTo(MAX_CLOCK_OFFSET) > 0
        ? Optional.of(farthest)
        : Optional.empty();
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
