package dev.queuescaler.scaler.report;

import java.time.Instant;

/**
 * Tells that a scheduled cycle ran to its end. The stack alarms on its absence, the one sign of a
 * scaler that stops without failing: a schedule disabled or deleted, or invocations that never run,
 * raise no function error. A cycle cut off at the timeout, or failing before it starts, stops it
 * too.
 */
@FunctionalInterface
public interface CycleHeartbeat {

  /** The cycle that started this invocation ended at {@code at}, whatever its targets did. */
  void cycleCompleted(Instant at);
}
