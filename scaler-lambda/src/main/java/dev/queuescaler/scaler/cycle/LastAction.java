package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 * <p>An action whose UpdateService failed with its outcome unknown (a timeout, a 5xx: ECS may still
 * apply it) and that the acting cycle's read-back did not show is stored {@link Unconfirmed}: it
 * may land later, unannounced. The first sample that stores its state after a service read shows
 * its count announces it as landed late, and stores it confirmed; one whose read, once the action
 * has settled, shows another count stores it confirmed without announcing it (it never landed).
 *
 * @param desired the count set, >= 0
 * @param at when the acting cycle decided
 * @param settledBy when its update is over at the latest, not before {@code at}
 * @param unconfirmed present while its update's outcome is unknown and no read has shown it
 */
public record LastAction(
    int desired, Instant at, Instant settledBy, Optional<Unconfirmed> unconfirmed) {

  /**
   * What announcing an update that landed late takes, beyond its count: the count it was decided
   * from (which tells a scale-out from a scale-in) and its decision's reason.
   *
   * @param from the service's desired count the action was decided from, >= 0
   * @param reason its decision's reason
   */
  public record Unconfirmed(int from, Reason reason) {
    public Unconfirmed {
      Objects.requireNonNull(reason, "reason");
      if (from < 0) {
        throw new IllegalArgumentException("from must be >= 0 but was " + from);
      }
    }
  }

  /**
   * How long an action stored before {@code settledBy} existed is respected: the lease every
   * version before it used.
   */
  public static final Duration LEGACY_SETTLE = Duration.ofSeconds(60);

  public LastAction {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(settledBy, "settledBy");
    Objects.requireNonNull(unconfirmed, "unconfirmed");
    if (desired < 0) {
      throw new IllegalArgumentException("desired must be >= 0 but was " + desired);
    }
    if (settledBy.isBefore(at)) {
      throw new IllegalArgumentException(
          "settledBy must not be before at (" + at + ") but was " + settledBy);
    }
    if (unconfirmed.filter(u -> u.from() == desired).isPresent()) {
      throw new IllegalArgumentException(
          "an unconfirmed action changes the count, but it was " + desired + " before it too");
    }
  }

  /** An action whose update answered, or that a read has shown. */
  public LastAction(int desired, Instant at, Instant settledBy) {
    this(desired, at, settledBy, Optional.empty());
  }

  /** This action, its outcome unknown: decided from {@code from} for {@code reason}. */
  public LastAction unconfirmedFrom(int from, Reason reason) {
    return new LastAction(desired, at, settledBy, Optional.of(new Unconfirmed(from, reason)));
  }

  /** This action, confirmed: seen landed, or known never to land. */
  public LastAction confirmed() {
    return unconfirmed.isEmpty() ? this : new LastAction(desired, at, settledBy);
  }

  /** This action with other times, unconfirmed if it was. */
  public LastAction withTimes(Instant at, Instant settledBy) {
    return new LastAction(desired, at, settledBy, unconfirmed);
  }

  /** What an unconfirmed action did to the count: SCALE_OUT or SCALE_IN; empty if confirmed. */
  public Optional<Action> unconfirmedAction() {
    return unconfirmed.map(u -> desired > u.from() ? Action.SCALE_OUT : Action.SCALE_IN);
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
        && settledBy.toEpochMilli() == other.settledBy.toEpochMilli()
        && unconfirmed.equals(other.unconfirmed);
  }

  /** Whether its update may still be landing at {@code now}. */
  public boolean unsettledAt(Instant now) {
    return settledBy.isAfter(now);
  }
}
