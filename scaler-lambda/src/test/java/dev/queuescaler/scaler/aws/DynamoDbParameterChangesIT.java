package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterChanges.Recorded;
import dev.queuescaler.scaler.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change record in the state table, against a DynamoDB-compatible server (dynalite). */
class DynamoDbParameterChangesIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final TargetName ORDERS = new TargetName("orders");
  private static final TargetName BILLING = new TargetName("billing");

  private final DynamoDbParameterChanges changes =
      new DynamoDbParameterChanges(aws.dynamoDb, LocalAws.TABLE);

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

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
}
