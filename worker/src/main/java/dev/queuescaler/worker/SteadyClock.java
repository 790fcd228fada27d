package dev.queuescaler.worker;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * Instants that move only as time passes: the given clock is read once, then moved on by {@link
 * System#nanoTime()}. SQS keeps a message invisible for the time that passes, whatever the
 * machine's clock says; timed by a clock that time sync steps (or a VM resumed), the worker would
 * give up a message it still holds (a step on) or stop extending it until the clock caught up (a
 * step back), and either way SQS delivers it again while its work runs here.
 */
final class SteadyClock implements InstantSource {

  private final Instant origin;
  private final long originNanos;
  private final LongSupplier nanoTime;

  SteadyClock(InstantSource clock, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.originNanos = nanoTime.getAsLong();
    this.origin = clock.instant();
  }

  /** Starts at {@code clock}'s instant now and moves on with the JVM's monotonic time. */
  static SteadyClock startingAt(InstantSource clock) {
    return new SteadyClock(clock, System::nanoTime);
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanoTime.getAsLong() - originNanos);
  }
}
