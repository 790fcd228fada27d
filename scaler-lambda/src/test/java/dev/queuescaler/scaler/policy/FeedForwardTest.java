package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FeedForwardTest {

  private static final FeedForward FORTY_FIVE = new FeedForward(Duration.ofSeconds(45));

  @Test
  void aGrowingBacklogIsContinuedForOneLaunch() {
    // 300 more in 15 s is 20 a second: 900 more by the time a task launched now runs.
    assertThat(FORTY_FIVE.expectedBacklog(500, 200, Duration.ofSeconds(15))).isEqualTo(1_400);
  }

  @Test
  void aShrinkingOrSteadyBacklogIsTakenAsItIs() {
    assertThat(FORTY_FIVE.expectedBacklog(200, 500, Duration.ofSeconds(15))).isEqualTo(200);
    assertThat(FORTY_FIVE.expectedBacklog(200, 200, Duration.ofSeconds(15))).isEqualTo(200);
  }

  @Test
  void aHugeGrowthSaturates() {
    assertThat(FORTY_FIVE.expectedBacklog(Long.MAX_VALUE - 1, 0, Duration.ofMillis(1)))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Property
  void theExpectedBacklogIsNeverBelowTheBacklogNow(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long now,
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long previous,
      @ForAll @IntRange(min = 1, max = 600) int seconds) {
    assertThat(FORTY_FIVE.expectedBacklog(now, previous, Duration.ofSeconds(seconds)))
        .isGreaterThanOrEqualTo(now);
  }
}
