package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.cycle.ParameterMirror;
import dev.queuescaler.scaler.cycle.ParameterMirror.Cursor;
import dev.queuescaler.scaler.cycle.ParameterMirror.Entry;
import dev.queuescaler.scaler.cycle.ParameterReadModel;
import dev.queuescaler.scaler.cycle.ParameterSource;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The parameter mirror's items in the state table, against dynalite. */
class ParameterMirrorIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  private final DynamoDbParameterMirror mirror =
      new DynamoDbParameterMirror(aws.dynamoDb, LocalAws.TABLE);

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void nothingStoredReadsAsNoCursorAndNoShards() {
    assertThat(mirror.control()).isEqualTo(ParameterMirror.Control.NONE);
    assertThat(mirror.load(List.of(0, 1, 63))).isEmpty();
  }

  @Test
  void savedShardsAreReadBackWithTheVersionsTheControlItemNames() {
    Entry orders = new Entry(Map.of("orders/max-tasks", "4", "orders/cluster", "workers"), T0);
    Entry misplaced = new Entry(Map.of("orders.max-tasks", "4"), T0.plusSeconds(1));
    int shard = ParameterMirror.shardOf("orders", mirror.shards());

    Map<Integer, Long> versions =
        mirror.save(Map.of(shard, Map.of("orders", orders, "orders.max-tasks", misplaced)));

    assertThat(mirror.control().versions()).isEqualTo(versions);
    ParameterMirror.Shard loaded = mirror.load(List.of(shard)).get(shard);
    assertThat(loaded.version()).isEqualTo(versions.get(shard));
    assertThat(loaded.entries())
        .containsEntry("orders", orders)
        .containsEntry("orders.max-tasks", misplaced);
  }

  @Test
  void theCursorIsStoredBesideTheVersionsAndItsPlaceIsRemovedAtAWalksStart() {
    mirror.save(Map.of(3, Map.of()));
    Cursor walking =
        Cursor.first(T0).at(Optional.of("token-7"), Map.of("billing/cluster", "workers"));

    mirror.advance(walking);
    assertThat(mirror.control().cursor()).contains(walking);
    Cursor next = walking.next(T0.plusSeconds(60));
    mirror.advance(next);

    assertThat(mirror.control().cursor()).contains(next);
    assertThat(mirror.control().versions()).containsOnlyKeys(3);
  }

  @Test
  void tenThousandTargetsWithEveryKeyStayWellUnderTheItemLimit() {
    Map<Integer, Map<String, Entry>> shards = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String target = String.format("team-%02d-service-%04d", i % 50, i);
      Map<String, String> values = new HashMap<>();
      for (ParameterKey key : ParameterKey.values()) {
        values.put(target + "/" + key.key(), valueOf(key, target));
      }
      shards
          .computeIfAbsent(ParameterMirror.shardOf(target, mirror.shards()), s -> new HashMap<>())
          .put(target, new Entry(values, T0));
    }

    mirror.save(shards);

    int largest = 0;
    for (Map<String, AttributeValue> item :
        aws.dynamoDb.scan(s -> s.tableName(LocalAws.TABLE)).items()) {
      largest = Math.max(largest, size(item));
    }
    // DynamoDB's item limit is 400 KB; leave room for longer names and queue URLs.
    System.out.println("largest of " + mirror.shards() + " shards: " + largest + " bytes");
    assertThat(largest).as("the largest shard, bytes").isLessThan(80 * 1024);
    assertThat(
            mirror.load(shards.keySet()).values().stream().mapToInt(s -> s.entries().size()).sum())
        .isEqualTo(10_000);
  }

  @Test
  void aShardItemThatCannotBeDecodedLosesNoTargetAndSaysSo() {
    String prefix = "/mirror-corrupt";
    for (int i = 0; i < 12; i++) {
      String target = String.format("t%02d", i);
      aws.putParameter(prefix + "/" + target + "/queue-url", "https://sqs.local/0/" + target);
      aws.putParameter(prefix + "/" + target + "/cluster", "workers");
      aws.putParameter(prefix + "/" + target + "/service", target + "-svc");
    }
    MutableClock clock = new MutableClock(T0);
    // The first walk reads the whole prefix and stores every shard; later walks read a page a
    // cycle (the fake's pages hold three parameters: one target).
    readModel(prefix, clock).read(clock.instant().plusSeconds(60));
    int shard = ParameterMirror.shardOf("t11", mirror.shards());
    // Written by hand, by another version of the function, or cut short: not this format.
    aws.dynamoDb.updateItem(
        u ->
            u.tableName(LocalAws.TABLE)
                .key(Map.of("target", AttributeValue.fromS("#parameters-mirror:" + shard)))
                .updateExpression("SET entries = :garbage")
                .expressionAttributeValues(Map.of(":garbage", AttributeValue.fromS("{not a map"))));
    clock.advance(Duration.ofSeconds(60));

    // A new container (a cold start, or the one after a timeout) starts from the stored shards.
    ParameterSource.Reading reading =
        readModel(prefix, clock).read(clock.instant().plusSeconds(60));

    assertThat(reading.values())
        .as("t11's shard cannot be decoded; t11 is still under the prefix")
        .containsKeys("t11/queue-url", "t11/cluster", "t11/service");
    assertThat(reading.problems()).as("the unreadable shard is reported").isNotEmpty();
  }

  @Test
  void aShardTheControlItemDoesNotListIsStillReadAndSaidSo() {
    String prefix = "/mirror-unlisted";
    for (int i = 0; i < 4; i++) {
      String target = String.format("u%02d", i);
      aws.putParameter(prefix + "/" + target + "/queue-url", "https://sqs.local/0/" + target);
      aws.putParameter(prefix + "/" + target + "/cluster", "workers");
      aws.putParameter(prefix + "/" + target + "/service", target + "-svc");
    }
    MutableClock clock = new MutableClock(T0);
    readModel(prefix, clock).read(clock.instant().plusSeconds(60));
    int shard = ParameterMirror.shardOf("u03", mirror.shards());
    // The control item lost the shard's version (edited by hand, restored from a backup).
    aws.dynamoDb.updateItem(
        u ->
            u.tableName(LocalAws.TABLE)
                .key(Map.of("target", AttributeValue.fromS("#parameters-mirror")))
                .updateExpression("REMOVE #s")
                .expressionAttributeNames(Map.of("#s", "shard" + shard)));
    clock.advance(Duration.ofSeconds(60));

    ParameterSource.Reading reading =
        readModel(prefix, clock).read(clock.instant().plusSeconds(60));

    assertThat(reading.values()).containsKeys("u03/queue-url", "u03/cluster", "u03/service");
    assertThat(reading.problems())
        .anySatisfy(problem -> assertThat(problem).contains("not listed in the control item"));
    assertThat(mirror.control().versions()).as("listed again").containsKey(shard);
  }

  @Test
  void theControlItemRecordsThePrefixItsShardsMirror() {
    MutableClock clock = new MutableClock(T0);
    aws.putParameter("/mirror-owned/orders/queue-url", "https://sqs.local/0/orders");

    readModel("/mirror-owned", clock).read(clock.instant().plusSeconds(60));

    assertThat(mirror.control().prefix()).contains("/mirror-owned");
    // A writer of another prefix that read the control item before the first write: its writes
    // fail and change nothing.
    DynamoDbParameterMirror other = new DynamoDbParameterMirror(aws.dynamoDb, LocalAws.TABLE);
    other.claim("/queue-scaler");
    Cursor elsewhere = Cursor.first(T0.plusSeconds(60));
    assertThatThrownBy(() -> other.advance(elsewhere))
        .hasMessageContaining("another prefix than /queue-scaler");
    int free = (ParameterMirror.shardOf("orders", mirror.shards()) + 1) % mirror.shards();
    assertThatThrownBy(() -> other.save(Map.of(free, Map.of())))
        .hasMessageContaining("another prefix than /queue-scaler");
    assertThat(mirror.control().prefix()).contains("/mirror-owned");
    assertThat(mirror.control().cursor()).isNotEqualTo(Optional.of(elsewhere));
    assertThat(mirror.control().versions()).doesNotContainKey(free);
  }

  private ParameterReadModel readModel(String prefix, MutableClock clock) {
    return new ParameterReadModel(
        new SsmParameterSource(aws.ssm, prefix),
        new DynamoDbParameterMirror(aws.dynamoDb, LocalAws.TABLE),
        new DynamoDbParameterChanges(aws.dynamoDb, LocalAws.TABLE),
        clock,
        1);
  }

  private static String valueOf(ParameterKey key, String target) {
    return switch (key) {
      case QUEUE_URL -> "https://sqs.eu-west-1.amazonaws.com/123456789012/" + target + "-queue";
      case CLUSTER -> "arn:aws:ecs:eu-west-1:123456789012:cluster/platform-workers";
      case SERVICE -> target + "-svc";
      default -> key.defaultValue();
    };
  }

  /** DynamoDB's item size: names and values in UTF-8, plus its per-element overheads. */
  private static int size(Map<String, AttributeValue> item) {
    int bytes = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      bytes += utf8(attribute.getKey()) + size(attribute.getValue());
    }
    return bytes;
  }

  private static int size(AttributeValue value) {
    if (value.s() != null) {
      return utf8(value.s());
    }
    if (value.n() != null) {
      return value.n().length() / 2 + 2;
    }
    if (value.bool() != null) {
      return 1;
    }
    int bytes = 3;
    for (Map.Entry<String, AttributeValue> element : value.m().entrySet()) {
      bytes += 1 + utf8(element.getKey()) + size(element.getValue());
    }
    return bytes;
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
