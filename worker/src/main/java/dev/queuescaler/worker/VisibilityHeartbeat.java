package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps held messages invisible while their work runs: every message whose visibility was last
 * extended more than a third of the timeout ago gets ChangeMessageVisibility back to the full
 * timeout. SQS's answer is read entry by entry:
 *
 * <ul>
 *   <li>A refused entry (its receipt handle expired, or the message is no longer in flight) means
 *       the message is no longer ours: it is marked lost, never heartbeated again, and counted.
 *   <li>A call that fails whole (5xx or throttling through all the SDK's attempts, a timeout) says
 *       nothing about its messages: they stay due and the next beat, at most a second later, tries
 *       again, for as long as their visibility lasts. Each call may take at most a third of the
 *       timeout, so a hung call leaves room for the next ones.
 *   <li>A running message whose visibility runs out while its calls fail is given up then, and only
 *       then ({@code heartbeat-expired}, counted as lost): SQS may deliver it to another consumer,
 *       so it is neither heartbeated nor deleted.
 *   <li>A call that fails with an error no retry can mend (access denied, the queue does not exist)
 *       is also reported as fatal.
 * </ul>
 */
final class VisibilityHeartbeat {

  private final MessageLedger<?> ledger;
  private final SqsBatches batches;
  private final Duration visibilityTimeout;
  private final WorkerMetrics metrics;
  private final JsonLog log;
  private final Consumer<String> onUnmendable;

  /**
   * @param onUnmendable told the error when a call fails with one no retry can mend (access denied,
   *     the queue does not exist): no heartbeat can succeed, so the worker must stop rather than
   *     let every long message come back and run again
   */
  VisibilityHeartbeat(
      MessageLedger<?> ledger,
      SqsBatches batches,
      Duration visibilityTimeout,
      WorkerMetrics metrics,
      JsonLog log,
      Consumer<String> onUnmendable) {
    this.ledger = ledger;
    this.batches = batches;
    this.visibilityTimeout = visibilityTimeout;
    this.metrics = metrics;
    this.log = log;
    this.onUnmendable = onUnmendable;
  }

  /** How often {@link #beat()} should run: often enough that a late tick still extends in time. */
  Duration period() {
    return Duration.ofMillis(Math.max(200, Math.min(1_000, visibilityTimeout.toMillis() / 6)));
  }

  /**
   * The longest one heartbeat call may take, SDK retries included: a third of the timeout (so a
   * failed call leaves time for another before a due message expires), at least 1 s, at most 10 s
   * (one thread extends every message: a call must not hold up the next beat for long).
   */
  Duration callTimeout() {
    Duration third = visibilityTimeout.dividedBy(3);
    if (third.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return third.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : third;
  }

  void beat() {
    Instant now = Instant.now();
    for (String messageId : ledger.expire(now, visibilityTimeout)) {
      metrics.heartbeatLost();
      log.warn(
          "heartbeat-expired",
          Map.of(
              "messageId",
              messageId,
              "visibilitySeconds",
              visibilityTimeout.toSeconds(),
              "consequence",
              "its visibility ran out while heartbeat calls failed: SQS may deliver it to another"
                  + " consumer; not extended again, not deleted"));
    }
    List<String> due = ledger.dueForHeartbeat(now, visibilityTimeout.dividedBy(3));
    if (due.isEmpty()) {
      return;
    }
    SqsBatches.Result result =
        batches.changeVisibility(
            due, (int) visibilityTimeout.toSeconds(), Optional.of(callTimeout()));
    result.unmendable().ifPresent(onUnmendable);
    // The extension counts from before the call: SQS applied it no earlier than that.
    ledger.extended(result.succeeded(), now);
    result
        .refused()
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
    if (!result.unanswered().isEmpty()) {
      log.warn(
          "heartbeat-failed",
          Map.of(
              "messages",
              result.unanswered().size(),
              "error",
              result.unanswered().values().iterator().next(),
              "consequence",
              "still ours: tried again at the next beat while their visibility lasts"));
    }
  }
}
