package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps held messages invisible while their work runs: every message whose visibility was last
 * extended more than a third of the timeout ago gets ChangeMessageVisibility back to the full
 * timeout. SQS's answer is read entry by entry: a refused entry (its receipt handle expired, or the
 * message is no longer in flight) means the message is no longer ours, so it is marked lost, never
 * heartbeated again, and counted.
 */
final class VisibilityHeartbeat {

  private final MessageLedger<?> ledger;
  private final SqsBatches batches;
  private final Duration visibilityTimeout;
  private final WorkerMetrics metrics;
  private final JsonLog log;

  VisibilityHeartbeat(
      MessageLedger<?> ledger,
      SqsBatches batches,
      Duration visibilityTimeout,
      WorkerMetrics metrics,
      JsonLog log) {
    this.ledger = ledger;
    this.batches = batches;
    this.visibilityTimeout = visibilityTimeout;
    this.metrics = metrics;
    this.log = log;
  }

  /** How often {@link #beat()} should run: often enough that a late tick still extends in time. */
  Duration period() {
    return Duration.ofMillis(Math.max(200, Math.min(1_000, visibilityTimeout.toMillis() / 6)));
  }

  void beat() {
    Instant now = Instant.now();
    List<String> due = ledger.dueForHeartbeat(now, visibilityTimeout.dividedBy(3));
    if (due.isEmpty()) {
      return;
    }
    SqsBatches.Result result = batches.changeVisibility(due, (int) visibilityTimeout.toSeconds());
    ledger.extended(result.succeeded(), now);
    result
        .failed()
        .forEach(
            (handle, error) ->
                ledger
                    .lost(handle)
                    .ifPresent(
                        messageId -> {
                          metrics.heartbeatLost();
                          log.warn(
                              "heartbeat-refused",
                              Map.of(
                                  "messageId",
                                  messageId,
                                  "error",
                                  error,
                                  "consequence",
                                  "no longer ours: not extended again, not deleted"));
                        }));
  }
}
