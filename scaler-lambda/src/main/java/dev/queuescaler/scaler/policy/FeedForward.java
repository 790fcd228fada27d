package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizing for the backlog expected when the tasks asked for now start, not the backlog now: a task
 * takes 30-60 s to launch, and a backlog that grew between two samples keeps growing meanwhile. The
 * growth since the previous sample, continued for one launch, is added; a shrinking backlog adds
 * nothing (the stabilization window handles scale-in). No alarm policy and not KEDA do this.
 *
 * @param launch the launch delay to look ahead by, > 0
 */
public record FeedForward(Duration launch) {

  public FeedForward {
    Objects.requireNonNull(launch, "launch");
    if (launch.isNegative() || launch.isZero()) {
      throw new IllegalArgumentException("the launch delay must be > 0 but was " + launch);
    }
  }

  /**
   * The backlog expected one launch from now, given the backlog {@code elapsed} ago; saturates at
   * Long.MAX_VALUE.
   */
  public long expectedBacklog(long now, long previous, Duration elapsed) {
    if (now < 0 || previous < 0) {
      throw new IllegalArgumentException("backlogs must be >= 0");
    }
    if (now <= previous || elapsed.isNegative() || elapsed.isZero()) {
      return now;
    }
    double growth = (double) (now - previous) / elapsed.toMillis() * launch.toMillis();
    double expected = now + Math.ceil(growth);
    return expected >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) expected;
  }
}
