package dev.queuescaler.scaler.aws;

import java.time.Duration;

/**
 * Client-side pacing for one AWS quota: a token bucket that callers reserve a slot from before a
 * call, so that the scaler uses at most a share of the account's quota (the account has other
 * users) instead of running into AWS's throttling and the SDK's backoff.
 *
 * <p>A caller waits for its slot up to {@code maxWait}; a slot further away is not waited for (the
 * call goes ahead, and AWS's own bucket and the SDK's retries decide), so pacing delays a cycle but
 * never fails a target on its own.
 */
public final class Pacer {

  /** Waits; a seam so that tests need not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** No pacing (for ports whose quota is far from the scaler's rate). */
  public static final Pacer NONE = new Pacer(Double.MAX_VALUE, Double.MAX_VALUE, Duration.ZERO);

  private final double burst;
  private final double perSecond;
  private final long maxWaitNanos;
  private double tokens;
  private long refilledAt;
  private boolean started;

  /**
   * @param burst calls that may start at once
   * @param perSecond calls per second after that
   * @param maxWait the longest a caller waits for its slot
   */
  public Pacer(double burst, double perSecond, Duration maxWait) {
    if (!(burst >= 1) || !(perSecond > 0)) {
      throw new IllegalArgumentException("burst must be >= 1 and the rate > 0");
    }
    this.burst = burst;
    this.perSecond = perSecond;
    this.maxWaitNanos = maxWait.toNanos();
    this.tokens = burst;
  }

  /**
   * The scaler's share of a quota of {@code burst} and {@code perSecond}: {@code percent} of each
   * (the account has other users).
   */
  public static Pacer shareOf(double burst, double perSecond, int percent) {
    AccountQuotas.requireShare(percent);
    return new Pacer(
        Math.max(1, burst * percent / 100), perSecond * percent / 100, AwsClients.PACED_WAIT);
  }

  /** Waits for this caller's slot (at most maxWait) using the system clock and sleep. */
  public void acquire() {
    try {
      acquire(System.nanoTime(), d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reserves a slot at {@code nowNanos} and sleeps until it; returns how long it waited. */
  Duration acquire(long nowNanos, Sleeper sleeper) throws InterruptedException {
    long waitNanos = reserve(nowNanos);
    Duration wait = Duration.ofNanos(waitNanos);
    if (waitNanos > 0) {
      sleeper.sleep(wait);
    }
    return wait;
  }

  /** Takes a token at {@code nowNanos}; the time until it is due, 0 if at once. */
  synchronized long reserve(long nowNanos) {
    if (perSecond == Double.MAX_VALUE) {
      return 0;
    }
    if (!started) {
      refilledAt = nowNanos;
      started = true;
    }
    tokens = Math.min(burst, tokens + (nowNanos - refilledAt) / 1e9 * perSecond);
    refilledAt = nowNanos;
    long waitNanos = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    if (waitNanos > maxWaitNanos) {
      return 0; // too far: not reserved, the call goes ahead unpaced
    }
    tokens -= 1;
    return waitNanos;
  }
}
