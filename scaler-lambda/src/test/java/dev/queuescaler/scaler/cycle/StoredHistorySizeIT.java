package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.MutableClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stored history over days, through the production path: the cycle with its samples, the
 * policy, and {@link DynamoDbDecisionStore} against dynalite, which rejects an item over DynamoDB's
 * 400 KB as DynamoDB does. Virtual time: thirty hours, past the longest scale-to-zero window (24
 * h), run in about half a minute.
 */
class StoredHistorySizeIT {

  /** What this test holds a stored item to: 1 % of DynamoDB's 400 KB item limit. */
  static final int ITEM_BOUND_BYTES = 4 * 1024;

  private static final LocalAws aws = LocalAws.withFakes();
  private static final Instant START = Instant.parse("2026-11-27T00:00:00Z");
  private static final String TARGET = "orders";

  private final MutableClock clock = new MutableClock(START);
  private final Map<String, Integer> desired = new HashMap<>();
  private final List<TargetOutcome> lines = new ArrayList<>();

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void thirtyHoursOfSamplesAtTheLongestWindowsEverySaveSucceedsAndTheItemStaysUnder4Kb() {
    Map<String, String> keys = target(SAMPLED_EVERY_15_S);
    // The longest windows the contract accepts (before the bounds, any int: 68 years).
    keys.put(
        key(ParameterKey.SCALE_IN_STABILIZATION_SECONDS),
        longest(ParameterKey.SCALE_IN_STABILIZATION_SECONDS));
    keys.put(
        key(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS),
        longest(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS));
    // Past the 24 h window by six hours: an unbounded history would hold 7,200 entries (about
    // 230 KB) by then, far over the bound below.
    int minutes = 30 * 60;
    int largest = 0;
    int mostEntries = 0;
    Optional<String> firstFailure = Optional.empty();

    try (ScalingCycle cycle = cycle(keys)) {
      for (int minute = 0; minute < minutes && firstFailure.isEmpty(); minute++) {
        clock.advance(Duration.between(clock.instant(), START.plusSeconds(60L * minute)));
        int before = lines.size();
        cycle.run(CycleRequest.ALL_TARGETS.within(Duration.ofSeconds(60)));
        for (TargetOutcome line : lines.subList(before, lines.size())) {
          if (!line.completed() || !line.decision().errors().isEmpty()) {
            firstFailure =
                Optional.of(
                    "after "
                        + Duration.ofMinutes(minute)
                        + " ("
                        + line.decision().reason()
                        + "): "
                        + line.decision().errors());
          }
        }
        if (minute % 60 == 59) { // an hour's 240 saves
          Map<String, AttributeValue> item = storedItem();
          largest = Math.max(largest, itemSize(item));
          mostEntries = Math.max(mostEntries, item.get("recommendations").l().size());
        }
      }
    }

    assertThat(firstFailure).as("the first failed sample").isEmpty();
    assertThat(lines).as("four samples a minute, none held").hasSize(4 * minutes);
    assertThat(lines)
        .extracting(line -> line.decision().action())
        .as("the pattern scales the fleet both ways")
        .contains(Action.SCALE_OUT, Action.SCALE_IN);
    assertThat(mostEntries).isLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    assertThat(largest).as("the largest stored item, bytes").isLessThan(ITEM_BOUND_BYTES);
  }

  @Test
  void anItemTheUnboundedHistoryStoredIsReadAndShrinksOnItsNextSaveHoldingItsHighest() {
    // What the history stored before it was bounded: every 15 s sample of 40 hours (at about
    // 32 bytes an entry, 300 KB), among them 40 tasks recommended 50 minutes ago.
    Instant now = START.plus(Duration.ofHours(40));
    List<AttributeValue> entries = new ArrayList<>();
    for (Instant at = START; at.isBefore(now); at = at.plusSeconds(15)) {
      boolean peak = at.equals(now.minus(Duration.ofMinutes(50)));
      entries.add(
          AttributeValue.fromM(
              Map.of(
                  "at", number(at.toEpochMilli()),
                  "tasks", number(peak ? 40 : 2),
                  "inFlight", number(7))));
    }
    Map<String, AttributeValue> old = new HashMap<>();
    old.put("target", AttributeValue.fromS(TARGET));
    old.put("version", number(9600));
    old.put("recommendations", AttributeValue.fromL(entries));
    old.put("updatedAt", AttributeValue.fromS(now.minusSeconds(15).toString()));
    aws.dynamoDb.putItem(put -> put.tableName(LocalAws.TABLE).item(old));
    assertThat(itemSize(storedItem())).isGreaterThan(290 * 1024);
    Map<String, String> keys = target(ONCE_A_MINUTE);
    keys.put(key(ParameterKey.SCALE_IN_STABILIZATION_SECONDS), "3600");
    keys.put(key(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS), "86400");
    desired.put(TARGET + "-svc", 40);
    clock.advance(Duration.between(clock.instant(), now));

    try (ScalingCycle cycle = cycle(keys)) {
      cycle.run(CycleRequest.ALL_TARGETS.within(Duration.ofSeconds(60)));
    }

    assertThat(lines).singleElement();
    assertThat(lines.get(0).decision().action()).isEqualTo(Action.HOLD);
    assertThat(lines.get(0).decision().reason()).isEqualTo(Reason.STABILIZING);
    Map<String, AttributeValue> item = storedItem();
    assertThat(item.get("version").n()).isEqualTo("9601");
    assertThat(item.get("recommendations").l())
        .hasSizeLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    assertThat(itemSize(item)).isLessThan(ITEM_BOUND_BYTES);
  }

  private static final String SAMPLED_EVERY_15_S = "15";
  private static final String ONCE_A_MINUTE = "60";

  /** The target's keys: the default formula, its load term sized by the worker's concurrency. */
  private static Map<String, String> target(String sampleInterval) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    FixedParameters.putTarget(keys, TARGET);
    keys.put(key(ParameterKey.MAX_TASKS), "60");
    keys.put(key(ParameterKey.TASK_CONCURRENCY), "10");
    keys.put(key(ParameterKey.SAMPLE_INTERVAL_SECONDS), sampleInterval);
    return keys;
  }

  private static String key(ParameterKey key) {
    return TARGET + "/" + key.key();
  }

  private static String longest(ParameterKey key) {
    return Integer.toString(key.maximum());
  }

  /**
   * The real cycle on the real state store; the queue follows a six-hour pattern in which the
   * recommendation climbs to 50 tasks in ten minutes and falls back through every count to 1, so
   * the window holds a long staircase of distinct recommendations; the service sets what it is told
   * at once.
   */
  private ScalingCycle cycle(Map<String, String> keys) {
    QueueProbe queues = url -> pattern(Duration.between(START, clock.instant()).toSeconds());
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public synchronized ServiceSnapshot describe(ServiceRef service) {
            int count = desired.getOrDefault(service.service(), 0);
            return new ServiceSnapshot(count, count, 0);
          }

          @Override
          public synchronized void setDesiredCount(ServiceRef service, int count) {
            desired.put(service.service(), count);
          }
        };
    return new ScalingCycle(
        new ScalingCycle.Ports(
            FixedParameters.of(keys),
            queues,
            services,
            new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE),
            DecisionEvents.NONE,
            lines::add,
            OperatorLog.NONE,
            Tracing.NONE,
            clock,
            // Virtual time: a pause moves the clock on instead of sleeping.
            clock::advanceTo),
        1);
  }

  private static QueueSnapshot pattern(long second) {
    long phase = second % (6 * 3600);
    long tasks = phase < 600 ? 1 + 49 * phase / 600 : 50 - 49 * (phase - 600) / (6 * 3600 - 600);
    return new QueueSnapshot(100 * tasks - 5, 5, 0);
  }

  private static Map<String, AttributeValue> storedItem() {
    return aws.dynamoDb
        .getItem(
            get ->
                get.tableName(LocalAws.TABLE)
                    .key(Map.of("target", AttributeValue.fromS(TARGET)))
                    .consistentRead(true))
        .item();
  }

  /**
   * An item's size as DynamoDB counts it against the 400 KB limit: each attribute's name and value
   * in UTF-8 bytes; a number 1 byte per two significant digits plus 1; a list or map 3 bytes plus 1
   * per element plus its elements (a map's keys counting as names).
   */
  static int itemSize(Map<String, AttributeValue> item) {
    int size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += valueSize(attribute.getValue());
    }
    return size;
  }

  private static int valueSize(AttributeValue value) {
    if (value.s() != null) {
      return value.s().getBytes(StandardCharsets.UTF_8).length;
    }
    if (value.n() != null) {
      BigDecimal number = new BigDecimal(value.n());
      int digits =
          number.signum() == 0
              ? 1
              : number.stripTrailingZeros().unscaledValue().abs().toString().length();
      return (digits + 1) / 2 + 1;
    }
    if (value.hasL()) {
      return 3 + value.l().stream().mapToInt(element -> 1 + valueSize(element)).sum();
    }
    if (value.hasM()) {
      return 3 + value.m().size() + itemSize(value.m());
    }
    throw new IllegalArgumentException("an attribute type the state item does not use: " + value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
