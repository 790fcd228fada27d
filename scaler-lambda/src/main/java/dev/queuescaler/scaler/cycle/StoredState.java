package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A target's remembered history with the version it was stored under (0: nothing stored yet), and
 * the action its writer was about to take, if it changed the count.
 */
public record StoredState(long version, ScalingHistory history, Optional<PendingAction> pending) {

  public static final StoredState NONE = new StoredState(0, ScalingHistory.EMPTY, Optional.empty());

  public StoredState {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(pending, "pending");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0 but was " + version);
    }
  }

  /** The newest time this state records: a cycle whose clock is older must not overwrite it. */
  public Optional<Instant> newestTime() {
    return Stream.concat(
            Stream.concat(
                history.recommendations().stream().map(Recommendation::at),
                history.lastScaleOut().stream()),
            pending.map(PendingAction::at).stream())
        .max(Instant::compareTo);
  }
}
