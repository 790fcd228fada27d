package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A service read taken in a round's batch, before the target's state was loaded, with the time the
 * read started: it shows an action only if it started after that action settled.
 */
public record BatchedRead(ServiceReading reading, Instant startedAt) {

  public BatchedRead {
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /**
   * Whether this read started after the stored last action had certainly landed: only then can it
   * stand in for a read taken after the load.
   */
  boolean isAfterSettling(Optional<StoredState> state) {
    return state
        .flatMap(StoredState::lastAction)
        .map(action -> startedAt.isAfter(action.settledBy()))
        .orElse(true);
  }
}
