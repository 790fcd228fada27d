package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.testing.LocalAws;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The waiting targets in the state table, against a DynamoDB-compatible server (dynalite). */
class DynamoDbWaitingTargetsIT {

  private static final LocalAws aws = LocalAws.withFakes();

  private final DynamoDbWaitingTargets waiting =
      new DynamoDbWaitingTargets(aws.dynamoDb, LocalAws.TABLE);

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

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
}
