package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A service read taken before the target's state was loaded, with the time the read started: in the
 * round's batch, or remembered from an earlier read or from this container's own update. It shows
 * an action only if it started after that action settled, or if it is that action's own count.
 *
 * @param remembered whether it was not read in this round: a target acts on it only after reading
 *     its service again
 * @param shows the action whose count this is (this container set it), if any
 */
public record BatchedRead(
    ServiceReading reading, Instant startedAt, boolean remembered, Optional<LastAction> shows) {

  public BatchedRead {
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(shows, "shows");
  }

  /** A read of this round's batch. */
  public BatchedRead(ServiceReading reading, Instant startedAt) {
    this(reading, startedAt, false, Optional.empty());
  }

  /**
   * Whether this read started after the stored last action had certainly landed, or is that very
   * action's count: only then can it stand in for a read taken after the load.
   */
  boolean isAfterSettling(Optional<StoredState> state) {
    return state
        .flatMap(StoredState::lastAction)
        .map(action -> startedAt.isAfter(action.settledBy()) || isCountOf(action))
        .orElse(true);
  }

  /**
   * Whether this is the count this container set for {@code action} (stored to the millisecond).
   */
  private boolean isCountOf(LastAction action) {
    return shows
        .filter(set -> set.desired() == action.desired())
        .filter(set -> set.at().toEpochMilli() == action.at().toEpochMilli())
        .isPresent();
  }
}
