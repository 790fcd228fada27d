package dev.queuescaler.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand, so windows and cooldowns pass without waiting. */
public final class MutableClock extends Clock {

  // Atomic: two threads of a cycle under test may move the clock at once, and neither move may
  // be lost.
  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  /**
   * Moves the clock on to {@code when}, if that is later: a pause that passes on virtual time
   * ({@code clock::advanceTo} as the cycle's pause).
   */
  public void advanceTo(Instant when) {
    now.updateAndGet(instant -> when.isAfter(instant) ? when : instant);
  }

  @Override
  public Instant instant() {
    return now.get();
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
