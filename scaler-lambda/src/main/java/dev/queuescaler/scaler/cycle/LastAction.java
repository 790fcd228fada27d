package dev.queuescaler.scaler.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The last desired count a cycle stored before setting it, when it decided, and by when its
 * UpdateService has certainly landed or been given up (the acting cycle's save and update at their
 * worst, never past its deadline).
 *
 * <p>It is kept across later saves, not cleared by the next HOLD: until {@code settledBy} a service
 * read that does not show {@code desired} may simply predate the update, so no cycle acts on such a
 * read; and a service read taken before {@code settledBy} (a round's batched read, taken before the
 * state was loaded) is not trusted at all: the cycle reads its service again.
 *
 * @param desired the count set, >= 0
 * @param at when the acting cycle decided
 * @param settledBy when its update is over at the latest, not before {@code at}
 */
public record LastAction(int desired, Instant at, Instant settledBy) {

  /**
   * How long an action stored before {@code settledBy} existed is respected: the lease every
   * version before it used.
   */
  public static final Duration LEGACY_SETTLE = Duration.ofSeconds(60);

  public LastAction {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(settledBy, "settledBy");
    if (desired < 0) {
      throw new IllegalArgumentException("desired must be >= 0 but was " + desired);
    }
    if (settledBy.isBefore(at)) {
      throw new IllegalArgumentException(
          "settledBy must not be before at (" + at + ") but was " + settledBy);
    }
  }

  /** An action stored by a version that did not record when it settles. */
  public static LastAction legacy(int desired, Instant at) {
    return new LastAction(desired, at, at.plus(LEGACY_SETTLE));
  }

  /**
   * Whether {@code other} is this action as a store keeps it (its times to the millisecond): how a
   * cycle tells its own record from another's when it reads back a write whose answer was lost.
   */
  public boolean sameAsStored(LastAction other) {
    return desired == other.desired
        && at.toEpochMilli() == other.at.toEpochMilli()
        && settledBy.toEpochMilli() == other.settledBy.toEpochMilli();
  }

  /** Whether its update may still be landing at {@code now}. */
  public boolean unsettledAt(Instant now) {
    return settledBy.isAfter(now);
  }
}
