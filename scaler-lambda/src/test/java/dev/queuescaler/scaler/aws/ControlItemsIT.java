package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterChanges.Recorded;
import dev.queuescaler.scaler.cycle.ValidConfigurations.Stored;
import dev.queuescaler.scaler.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The function's own items of the state table (the change record, the waiting targets and the last
 * valid configurations), against a DynamoDB-compatible server (dynalite).
 */
class ControlItemsIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final TargetName ORDERS = new TargetName("orders");
  private static final TargetName BILLING = new TargetName("billing");

  private final DynamoDbParameterChanges changes =
      new DynamoDbParameterChanges(aws.dynamoDb, LocalAws.TABLE);
  private final DynamoDbWaitingTargets waiting =
      new DynamoDbWaitingTargets(aws.dynamoDb, LocalAws.TABLE);
  private final DynamoDbValidConfigurations configurations =
      new DynamoDbValidConfigurations(aws.dynamoDb, LocalAws.TABLE);

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  // The change record.

  @Test
  void nothingRecordedReadsAsNoChange() {
    assertThat(changes.recorded()).isEqualTo(Recorded.NONE);
  }

  @Test
  void targetsAndTheWholePrefixAreRecordedSideBySide() {
    changes.recordChange(T0, Optional.of(ORDERS));
    changes.recordChange(T0.plusSeconds(1), Optional.empty());
    changes.recordChange(T0.plusSeconds(2), Optional.of(BILLING));

    Recorded recorded = changes.recorded();

    assertThat(recorded.wholePrefix()).contains(T0.plusSeconds(1));
    assertThat(recorded.byTarget())
        .containsEntry(ORDERS, T0)
        .containsEntry(BILLING, T0.plusSeconds(2))
        .hasSize(2);
  }

  @Test
  void anOlderEventNeverHidesANewerOne() {
    changes.recordChange(T0.plusSeconds(5), Optional.of(ORDERS));
    changes.recordChange(T0, Optional.of(ORDERS));
    changes.recordChange(T0.plusSeconds(5), Optional.empty());
    changes.recordChange(T0, Optional.empty());

    Recorded recorded = changes.recorded();

    assertThat(recorded.byTarget()).containsEntry(ORDERS, T0.plusSeconds(5));
    assertThat(recorded.wholePrefix()).contains(T0.plusSeconds(5));
  }

  @Test
  void targetsChangedLongAgoAreForgottenWhenAnotherChangeIsRecorded() {
    changes.recordChange(T0, Optional.of(ORDERS));
    Instant later = T0.plus(DynamoDbParameterChanges.FORGOTTEN_AFTER).plusSeconds(1);

    changes.recordChange(later, Optional.of(BILLING));

    assertThat(changes.recorded().byTarget()).containsOnlyKeys(BILLING);
  }

  @Test
  void aRecentChangeIsKept() {
    changes.recordChange(T0, Optional.of(ORDERS));

    changes.recordChange(T0.plus(Duration.ofMinutes(5)), Optional.of(BILLING));

    assertThat(changes.recorded().byTarget()).containsOnlyKeys(ORDERS, BILLING);
  }

  @Test
  void manyOldTargetsAreForgottenAFewDozenAtATime() {
    for (int i = 0; i < 60; i++) {
      changes.recordChange(T0, Optional.of(new TargetName("old-" + i)));
    }
    Instant later = T0.plus(DynamoDbParameterChanges.FORGOTTEN_AFTER).plusSeconds(1);

    changes.recordChange(later, Optional.of(ORDERS));
    assertThat(changes.recorded().byTarget())
        .as("50 of the 60 old ones, and the new one")
        .hasSize(11)
        .containsKey(ORDERS);

    changes.recordChange(later.plusSeconds(1), Optional.of(BILLING));
    assertThat(changes.recorded().byTarget()).containsOnlyKeys(ORDERS, BILLING);
  }

  @Test
  void theChangeRecordNeverOutgrowsItsLimit() {
    int limit = 2_000; // DynamoDbParameterChanges.MOST_TARGETS
    int largest = 0;
    long mostTargets = 0;
    for (int i = 0; i < limit + 500; i++) {
      changes.recordChange(T0.plusMillis(i), Optional.of(longName(i)));
      if (i >= limit - 2) {
        Map<String, AttributeValue> item = changeRecord();
        largest = Math.max(largest, itemSize(item));
        mostTargets =
            Math.max(
                mostTargets, item.keySet().stream().filter(a -> a.startsWith("target:")).count());
      }
    }
    System.out.println(
        "the change record at its largest: " + mostTargets + " targets, " + largest + " bytes");

    Recorded recorded = changes.recorded();
    assertThat(mostTargets).as("targets the item held at most").isLessThanOrEqualTo(limit);
    assertThat(largest)
        .as("bytes, with 64-character names (DynamoDB allows 400 KB)")
        .isLessThan(200_000);
    // No change is lost: each is still recorded for its target, or covered by a change of the
    // whole prefix (a walk) at least as late.
    for (int i = 0; i < limit + 500; i++) {
      Instant at = T0.plusMillis(i);
      TargetName target = longName(i);
      assertThat(
              recorded.byTarget().getOrDefault(target, Instant.EPOCH).equals(at)
                  || recorded.wholePrefix().filter(whole -> !whole.isBefore(at)).isPresent())
          .as("the change of " + target + " is kept")
          .isTrue();
    }
  }

  /** Target names of the most characters a name may have (64). */
  private static TargetName longName(int i) {
    return new TargetName(String.format("%s-%05d", "x".repeat(58), i));
  }

  private static Map<String, AttributeValue> changeRecord() {
    return aws.dynamoDb
        .getItem(
            g ->
                g.tableName(LocalAws.TABLE)
                    .key(Map.of("target", AttributeValue.fromS("#parameters")))
                    .consistentRead(true))
        .item();
  }

  /** DynamoDB's size of an item of strings and numbers: names and values, as it counts them. */
  private static int itemSize(Map<String, AttributeValue> item) {
    int bytes = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      AttributeValue value = attribute.getValue();
      bytes +=
          attribute.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              + (value.s() != null
                  ? value.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                  : value.n().length() / 2 + 2);
    }
    return bytes;
  }

  // The waiting targets.

  @Test
  void noneStoredIsNoneWaiting() {
    assertThat(waiting.load()).isEmpty();
  }

  @Test
  void aCyclesWaitsAreWhatAnotherContainerLoads() {
    waiting.save(Map.of(new TargetName("orders"), 2, new TargetName("billing.eu-1"), 1));

    assertThat(new DynamoDbWaitingTargets(aws.dynamoDb, LocalAws.TABLE).load())
        .containsOnly(
            Map.entry(new TargetName("orders"), 2), Map.entry(new TargetName("billing.eu-1"), 1));
  }

  @Test
  void theLastCycleReplacesTheWaitsAndAnEmptyOneClearsThem() {
    waiting.save(Map.of(new TargetName("orders"), 1));
    waiting.save(Map.of(new TargetName("billing"), 1));
    assertThat(waiting.load()).containsOnlyKeys(new TargetName("billing"));

    waiting.save(Map.of());

    assertThat(waiting.load()).isEmpty();
  }

  @Test
  void theWaitsNeverTouchATargetsState() {
    waiting.save(Map.of(new TargetName("orders"), 1));

    assertThat(aws.dynamoDb.scan(s -> s.tableName(LocalAws.TABLE)).items())
        .singleElement()
        .satisfies(item -> assertThat(item.get("target").s()).isEqualTo("#waiting"));
  }

  // The last valid configurations.

  private static final Stored ORDERS_50 =
      new Stored(
          Map.of(
              "queue-url", "https://sqs.local/0/orders",
              "cluster", "workers",
              "service", "orders-svc",
              "max-tasks", "50"),
          T0);

  @Test
  void noConfigurationStoredReadsAsNone() {
    assertThat(configurations.load(List.of(ORDERS, BILLING))).isEmpty();
  }

  @Test
  void aStoredConfigurationIsWhatAnotherContainerLoads() {
    configurations.save(ORDERS, ORDERS_50);

    assertThat(
            new DynamoDbValidConfigurations(aws.dynamoDb, LocalAws.TABLE)
                .load(List.of(ORDERS, BILLING)))
        .containsOnly(Map.entry(ORDERS, ORDERS_50));
  }

  @Test
  void theConfigurationsOfMoreTargetsThanOneReadTakesAreAllLoaded() {
    List<TargetName> targets = new ArrayList<>();
    for (int i = 0; i < DynamoDbValidConfigurations.KEYS_PER_READ + 20; i++) {
      TargetName target = new TargetName("t" + i);
      targets.add(target);
      configurations.save(target, ORDERS_50);
    }

    assertThat(configurations.load(targets)).hasSize(targets.size());
  }

  @Test
  void aForgottenConfigurationIsGone() {
    configurations.save(ORDERS, ORDERS_50);
    configurations.save(BILLING, ORDERS_50);

    configurations.forget(ORDERS);

    assertThat(configurations.load(List.of(ORDERS, BILLING))).containsOnlyKeys(BILLING);
  }

  @Test
  void aConfigurationNeverTouchesTheTargetsState() {
    configurations.save(ORDERS, ORDERS_50);

    assertThat(aws.dynamoDb.scan(s -> s.tableName(LocalAws.TABLE)).items())
        .singleElement()
        .satisfies(item -> assertThat(item.get("target").s()).isEqualTo("#configuration:orders"));
  }

  @Test
  void anItemThatCannotBeDecodedReadsAsNoneSoTheTargetNeverRunsOnAGuess() {
    aws.dynamoDb.putItem(
        p ->
            p.tableName(LocalAws.TABLE)
                .item(
                    Map.of(
                        "target", AttributeValue.fromS("#configuration:orders"),
                        "values", AttributeValue.fromS("max-tasks=50"),
                        "storedAt", AttributeValue.fromN("1"))));

    assertThat(configurations.load(List.of(ORDERS))).isEmpty();
  }
}
