package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Objects;

/**
 * The desired count a cycle stored that it is about to set, and when. Between that cycle's state
 * write and its UpdateService, a service read still shows the old count; any cycle that loads this
 * state respects the pending count until a read shows it (or the lease ends: the acting cycle
 * died).
 *
 * @param desired the count about to be set, >= 0
 * @param at when the acting cycle decided
 */
public record PendingAction(int desired, Instant at) {

  public PendingAction {
    Objects.requireNonNull(at, "at");
    if (desired < 0) {
      throw new IllegalArgumentException("desired must be >= 0 but was " + desired);
    }
  }
}
