package dev.queuescaler.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so windows and cooldowns pass without waiting. */
public final class MutableClock extends Clock {

  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  /**
   * Moves the clock on to {@code when}, if that is later: a pause that passes on virtual time
   * ({@code clock::advanceTo} as the cycle's pause).
   */
  public void advanceTo(Instant when) {
    if (when.isAfter(now)) {
      now = when;
    }
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
