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

  @Test
  void aSlowReadCannotShowAClockWithinFiveSecondsThoughItShowsNoOffset() {
    // The read above: stamped at 7 s of an 8 s read, AWS's time may have been this clock's at any
    // moment of it, so the clock may be up to 8 s behind (or 1 s ahead).
    assertThat(
            DynamoDbCycleLease.unprovenOffset(
                sent, sent.plusSeconds(8), Instant.parse("2026-12-06T07:00:07Z")))
        .contains(Duration.ofSeconds(-8));
  }

  @Test
  void aQuickReadShowsAClockWithinFourSecondsEitherWay() {
    assertThat(
            DynamoDbCycleLease.unprovenOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T07:00:03Z")))
        .isEmpty();
    assertThat(
            DynamoDbCycleLease.unprovenOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T06:59:56Z")))
        .isEmpty();
  }

  @Test
  void aQuickReadWhoseDateIsFiveSecondsOffCannotShowTheClockWithinFiveSeconds() {
    // AWS's 06:59:55 lasted a second: at 06:59:55.9 this clock read 07:00:00.05, 5.05 s ahead.
    assertThat(
            DynamoDbCycleLease.unprovenOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T06:59:55Z")))
        .contains(Duration.ofMillis(5_050));
    assertThat(
            DynamoDbCycleLease.unprovenOffset(
                sent, sent.plusMillis(50), Instant.parse("2026-12-06T07:00:05Z")))
        .contains(Duration.ofSeconds(-6));
  }
}
