package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The lease's clock check reads AWS's {@code Date} (truncated to the second) against the interval
 * this cycle's clock spans from sending the read to its answer: the read's own duration is never
 * skew, a clock further than 5 s outside that interval is.
 */
class LeaseClockOffsetTest {

  private final Instant sent = Instant.parse("2026-12-06T07:00:00Z");

  @Test
  void anAnswerStampedLateInASlowReadIsNoOffset() {
    // An attempt timed out after 5 s, the retry answered 3 s later, stamped at 7 s.
    assertThat(
            DynamoDbCycleLease.clockOffset(
                sent, sent.plusSeconds(8), Instant.parse("2026-12-06T07:00:07Z")))
        .isEmpty();
  }

  @Test
  void aDateFurtherThanFiveSecondsAfterTheAnswerIsAClockBehind() {
    assertThat(
            DynamoDbCycleLease.clockOffset(
                sent, sent.plusSeconds(2), Instant.parse("2026-12-06T07:00:08Z")))
        .contains(Duration.ofMillis(-6_500));
  }

  @Test
  void aDateFurtherThanFiveSecondsBeforeTheReadIsAClockAhead() {
    assertThat(
            DynamoDbCycleLease.clockOffset(
                sent, sent.plusSeconds(2), Instant.parse("2026-12-06T06:59:54Z")))
        .contains(Duration.ofMillis(5_500));
  }

  @Test
  void aQuickReadWithinFiveSecondsEitherWayIsNoOffset() {
    assertThat(
            DynamoDbCycleLease.clockOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T07:00:04Z")))
        .isEmpty();
    assertThat(
            DynamoDbCycleLease.clockOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T06:59:55Z")))
        .isEmpty();
  }
}
