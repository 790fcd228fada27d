package dev.queuescaler.scaler.report;

import java.time.Instant;

/**
 * Tells that a scheduled cycle ran to its end. The stack alarms on its absence: a schedule that is
 * disabled or deleted, or a function that never finishes a cycle (killed at its timeout, throttled,
 * failing before the cycle starts), writes no error anywhere, only no heartbeat.
 */
@FunctionalInterface
public interface CycleHeartbeat {

  /** The cycle that started this invocation ended at {@code at}, whatever its targets did. */
  void cycleCompleted(Instant at);
}
