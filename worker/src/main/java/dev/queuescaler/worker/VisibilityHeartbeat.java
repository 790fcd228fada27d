package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>SQS keeps one receipt invisible for at most 12 hours in all and refuses, rather than trims, an
 * extension past that: near the limit a message is extended only by what will still be left when
 * SQS applies the call (worked out as each call starts, in the same calls of ten as the others),
 * and once nothing is left its visibility runs out a little before the limit ({@code
 * heartbeat-expired}).
 */
final class VisibilityHeartbeat {

  /** SQS's limit on one receipt's visibility, extensions included. */
  static final Duration SQS_VISIBILITY_LIMIT = Duration.ofHours(12);

  /**
   * Taken off what the limit leaves, besides the call's own timeout (SQS applies an extension when
   * the call, its SDK retries included, gets through, at most that long after it starts): the
   * worker notes a receive when SQS's answer arrives, a little after SQS started the receipt's 12
   * hours, so its count of what is left runs a little high.
   */
  static final Duration LIMIT_MARGIN = Duration.ofSeconds(5);

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
              "its visibility ran out (heartbeat calls failed, or SQS's 12 hours for one receipt"
                  + " were used up): SQS may deliver it to another consumer; not extended again,"
                  + " not deleted"));
    }
    // Ten messages a call, one call after another; each call works out its entries' grants as it
    // starts: the whole timeout, or, near SQS's 12-hour limit, what will still be left when SQS
    // applies it, and nothing once that is under a second (0 would make it visible at once).
    List<String> due = ledger.dueForHeartbeat(now, visibilityTimeout.dividedBy(3));
    for (int from = 0; from < due.size(); from += SqsBatches.MAX_ENTRIES) {
      Instant callStart = Instant.now();
      Map<String, Integer> grants = new LinkedHashMap<>();
      for (String handle : due.subList(from, Math.min(due.size(), from + SqsBatches.MAX_ENTRIES))) {
        ledger
            .receivedAt(handle)
            .map(receivedAt -> grantSeconds(receivedAt, callStart))
            .filter(seconds -> seconds >= 1)
            .ifPresent(seconds -> grants.put(handle, (int) (long) seconds));
      }
      if (!grants.isEmpty()) {
        extend(grants, callStart);
      }
    }
  }

  /**
   * The seconds to ask SQS for in a call starting {@code at}: the timeout, or what the 12-hour
   * limit will still leave when SQS applies it, if that is less.
   */
  private long grantSeconds(Instant receivedAt, Instant at) {
    Duration left =
        SQS_VISIBILITY_LIMIT
            .minus(Duration.between(receivedAt, at))
            .minus(callTimeout())
            .minus(LIMIT_MARGIN);
    return Math.min(visibilityTimeout.toSeconds(), left.toSeconds());
  }

  private void extend(Map<String, Integer> grants, Instant callStart) {
    SqsBatches.Result result = batches.changeVisibility(grants, callTimeout());
    result.unmendable().ifPresent(onUnmendable);
    // The extension counts from before the call: SQS applied it no earlier than that.
    for (String handle : result.succeeded()) {
      ledger.extended(List.of(handle), callStart, Duration.ofSeconds(grants.get(handle)));
    }
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
