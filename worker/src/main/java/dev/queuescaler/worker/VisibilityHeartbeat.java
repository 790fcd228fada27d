package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
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
 * <p>The calls of one beat (ten messages each) go out at once, on the threads {@code calls} gives:
 * QueueWorker's are three per receive loop, as many as the calls its held messages can make (ten
 * running a loop, and it stops receiving while twice that many finished ones wait for their
 * delete). Made one after another, a beat took the sum of its calls' times: with SQS answering
 * slowly but successfully (up to 64 calls of up to 10 s each), the last calls reached SQS after
 * their messages' visibility had run out, and SQS delivered those again while their work still ran
 * here. Given fewer threads than calls (a test's {@code Runnable::run}), the messages whose
 * visibility runs out first go in the first calls. A beat returns only once all its calls are done,
 * so that a give-back, which runs on the heartbeat thread between beats, never runs at once with a
 * heartbeat for the same message.
 *
 * <p>SQS keeps one receipt invisible for at most 12 hours in all and refuses, rather than trims, an
 * extension past that: near the limit a message is extended only by what will still be left when
 * SQS applies the call (worked out as each call starts, in the same calls of ten as the others: a
 * call that waited for a thread asks for what is left then), and once nothing is left its
 * visibility runs out a little before the limit ({@code heartbeat-expired}).
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
  private final Executor calls;
  private final WorkerMetrics metrics;
  private final JsonLog log;
  private final Consumer<String> onUnmendable;
  private final InstantSource clock;

  /**
   * @param calls runs a beat's calls, each on a thread of its own while it has one free ({@code
   *     Runnable::run} makes them one after another, on the beat's thread)
   * @param onUnmendable told the error when a call fails with one no retry can mend (access denied,
   *     the queue does not exist): no heartbeat can succeed, so the worker must stop rather than
   *     let every long message come back and run again. Called on the calls' threads, possibly by
   *     several calls of one beat at once.
   */
  VisibilityHeartbeat(
      MessageLedger<?> ledger,
      SqsBatches batches,
      Duration visibilityTimeout,
      Executor calls,
      WorkerMetrics metrics,
      JsonLog log,
      InstantSource clock,
      Consumer<String> onUnmendable) {
    this.ledger = ledger;
    this.clock = clock;
    this.batches = batches;
    this.visibilityTimeout = visibilityTimeout;
    this.calls = Objects.requireNonNull(calls, "calls");
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
   * (a beat waits for all its calls: one call must not hold up the next beat for long).
   */
  Duration callTimeout() {
    Duration third = visibilityTimeout.dividedBy(3);
    if (third.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return third.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : third;
  }

  void beat() {
    Instant now = clock.instant();
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
    // Ten messages a call, the ones whose visibility runs out first in the first calls, all the
    // calls at once while threads are free. Each call works out its entries' grants as it starts
    // (a call that waited for a thread starts later): the whole timeout, or, near SQS's 12-hour
    // limit, what will still be left when SQS applies it, and nothing once that is under a second
    // (0 would make it visible at once).
    List<String> due =
        ledger.dueForHeartbeat(now, visibilityTimeout.dividedBy(3), visibilityTimeout);
    // A call the threads refuse is not made: the worker's stop ended them after its give-back, and
    // an extension made now could land on a message given back.
    CallsAtOnce.inTens(calls, due, this::call);
  }

  /** One call: its entries' grants, worked out as it starts, then the call and its answer. */
  private void call(List<String> handles) {
    Instant callStart = clock.instant();
    Map<String, Integer> grants = new LinkedHashMap<>();
    for (String handle : handles) {
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
