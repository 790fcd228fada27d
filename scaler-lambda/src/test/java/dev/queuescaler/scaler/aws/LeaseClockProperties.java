package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.cycle.CycleLease;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The lease's clock check on any read: AWS stamps its answer at some moment of the read, truncated
 * to the second, and this clock is off by a fixed amount. A clock that passes is within {@link
 * CycleLease#MAX_CLOCK_OFFSET} of AWS's however long the read took (retries included), so two that
 * pass are within the lease's skew allowance; a read quick enough shows a clock near AWS's.
 */
class LeaseClockProperties {

  private static final Instant EPOCH = Instant.parse("2026-12-06T07:00:00Z");

  /** Whether the check passes a clock {@code offset} off for a read stamped {@code stamp} in. */
  private static boolean passes(long sentMillis, long tookMillis, long stampMillis, long offset) {
    Instant sent = EPOCH.plusMillis(sentMillis);
    Instant stamped = sent.plusMillis(Math.min(stampMillis, tookMillis));
    Instant date = stamped.truncatedTo(ChronoUnit.SECONDS);
    Instant sentHere = sent.plusMillis(offset);
    Instant answeredHere = sent.plusMillis(tookMillis + offset);
    return DynamoDbCycleLease.clockOffset(sentHere, answeredHere, date).isEmpty()
        && DynamoDbCycleLease.unprovenOffset(sentHere, answeredHere, date).isEmpty();
  }

  @Property
  void aClockThatPassesIsWithinFiveSecondsOfAwsWhateverTheReadTook(
      @ForAll @LongRange(min = 0, max = 999) long sentMillis,
      @ForAll @LongRange(min = 0, max = 20_000) long tookMillis,
      @ForAll @LongRange(min = 0, max = 20_000) long stampMillis,
      @ForAll @LongRange(min = -30_000, max = 30_000) long offsetMillis) {
    if (passes(sentMillis, tookMillis, stampMillis, offsetMillis)) {
      assertThat(Duration.ofMillis(offsetMillis).abs())
          .isLessThanOrEqualTo(CycleLease.MAX_CLOCK_OFFSET);
    }
  }

  @Property
  void aClockWithinFourSecondsLessTheReadPasses(
      @ForAll @LongRange(min = 0, max = 999) long sentMillis,
      @ForAll @LongRange(min = 0, max = 4_000) long tookMillis,
      @ForAll @LongRange(min = 0, max = 4_000) long stampMillis,
      @ForAll @LongRange(min = -1_000, max = 1_000) long shareOfMargin) {
    // A read no longer than the limit leaves a margin; any clock within it passes.
    long margin = DynamoDbCycleLease.CLOCK_READ_LIMIT.toMillis() - tookMillis;
    long offsetMillis = margin * shareOfMargin / 1_000;

    assertThat(passes(sentMillis, tookMillis, stampMillis, offsetMillis))
        .as("a clock %d ms off, read in %d ms", offsetMillis, tookMillis)
        .isTrue();
  }
}
