package dev.queuescaler.scaler.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until a sample is due: the real clock in the Lambda and locally, a virtual one in tests.
 */
@FunctionalInterface
public interface Pause {

  void until(Instant when) throws InterruptedException;

  /** Sleeps on {@code clock} until {@code when}. */
  static Pause sleeping(Clock clock) {
    return when -> {
      Duration left = Duration.between(clock.instant(), when);
      if (!left.isNegative() && !left.isZero()) {
        Thread.sleep(left.toMillis());
      }
    };
  }
}
