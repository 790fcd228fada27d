package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.ScalingHistory;
import java.util.Objects;

/**
 * A target's remembered history with the version it was stored under; version 0 means nothing is
 * stored yet.
 */
public record StoredState(long version, ScalingHistory history) {

  public static final StoredState NONE = new StoredState(0, ScalingHistory.EMPTY);

  public StoredState {
    Objects.requireNonNull(history, "history");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0 but was " + version);
    }
  }
}
