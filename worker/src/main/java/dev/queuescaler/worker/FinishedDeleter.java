package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deletes finished messages as they finish, up to ten a call, whatever batch they came in: a slow
 * message never keeps its finished batch-mates undeleted. A message that SQS refuses to delete was
 * processed and will be delivered again (at-least-once); it is logged and leaves the ledger. A call
 * that fails whole is tried again, with a backoff between calls, for up to {@link #RETRY_FOR}; one
 * that fails with an error no retry can mend is also reported as fatal.
 */
final class FinishedDeleter {

  /**
   * How long a message's deletes are tried again when their calls fail whole (5xx, throttling or a
   * timeout through all the SDK's attempts): a failed call says nothing about its messages, and
   * they stay ours and heartbeated meanwhile, so an SQS outage of seconds to a minute costs a wait,
   * not a second run of the work. A longer one lets them come back (at-least-once) rather than keep
   * the task busy, and protected from scale-in, for as long as it lasts.
   */
  static final Duration RETRY_FOR = Duration.ofMinutes(2);

  /**
   * How long the shutdown's last deletes are tried: ECS's stopTimeout leaves 20 s after the
   * shutdown budget for them, the heartbeats' end, the deletes of work finished meanwhile and the
   * give-back.
   */
  static final Duration AT_SHUTDOWN = Duration.ofSeconds(5);

  /** What one call did: how many messages it took, and whether it failed whole for some. */
  record Pass(int taken, boolean callFailed) {
    static final Pass NONE = new Pass(0, false);
  }

  /** A short wait for batch-mates, so a busy worker deletes ten per call rather than one. */
  static final Duration LINGER = Duration.ofMillis(20);

  private final MessageLedger<WorkerTracing.MessageTrace> ledger;
  private final SqsBatches batches;
  private final JsonLog log;
  private final Consumer<String> onUnmendable;
  private final InstantSource clock;

  /**
   * @param onUnmendable told the error when a call fails with one no retry can mend (access denied,
   *     the queue does not exist): deletes cannot succeed, so the worker must stop rather than
   *     process every message again until it is dead-lettered
   */
  FinishedDeleter(
      MessageLedger<WorkerTracing.MessageTrace> ledger,
      SqsBatches batches,
      JsonLog log,
      InstantSource clock,
      Consumer<String> onUnmendable) {
    this.ledger = ledger;
    this.clock = clock;
    this.batches = batches;
    this.log = log;
    this.onUnmendable = onUnmendable;
  }

  /**
   * Once the stop has begun, a failed delete call is tried again only until its last deletes end:
   * its log line must not promise minutes.
   */
  private volatile boolean stopBegan;

  /** Says that the stop has begun (the retries a failed call gets are the stop's from now on). */
  void stopBegan() {
    stopBegan = true;
  }

  /** Deletes up to ten finished messages in one call (none when none are waiting). */
  Pass deleteSome() {
    return deleteSome(Optional.empty());
  }

  /** The same, the call given at most {@code callTimeout} when one is given. */
  private Pass deleteSome(Optional<Duration> callTimeout) {
    List<MessageLedger.Finished<WorkerTracing.MessageTrace>> finished =
        ledger.takeFinished(SqsBatches.MAX_ENTRIES);
    if (finished.isEmpty()) {
      return Pass.NONE;
    }
    double start = Clocks.seconds();
    SqsBatches.Result result =
        batches.delete(
            finished.stream().map(MessageLedger.Finished::receiptHandle).toList(), callTimeout);
    double end = Clocks.seconds();
    result.unmendable().ifPresent(onUnmendable);
    Map<String, String> failed = result.failed();
    Instant now = clock.instant();
    for (MessageLedger.Finished<WorkerTracing.MessageTrace> message : finished) {
      String unanswered = result.unanswered().get(message.receiptHandle());
      // An error no retry can mend (access denied, the queue gone) stops the worker: not retried.
      if (unanswered != null
          && result.unmendable().isEmpty()
          && ledger.deleteAgain(message.receiptHandle(), now, RETRY_FOR)) {
        log.warn(
            "delete-call-failed",
            Map.of(
                "messageId",
                message.messageId(),
                "error",
                unanswered,
                "consequence",
                stopBegan
                    ? "kept: tried again until the stop's last deletes end, else logged"
                        + " delete-abandoned"
                    : "kept and heartbeated: tried again after a backoff, for up to 2 minutes"));
        continue;
      }
      String error = failed.get(message.receiptHandle());
      if (error != null) {
        log.warn(
            "delete-failed",
            Map.of(
                "messageId",
                message.messageId(),
                "error",
                error,
                "consequence",
                "processed, will be delivered again (at-least-once)"));
      }
      ledger.settled(message.receiptHandle());
      message.attachment().sqsCall("DeleteMessageBatch", start, end, error != null);
      message.attachment().finish(end);
    }
    return new Pass(finished.size(), !result.unanswered().isEmpty());
  }

  /**
   * Deletes every finished message now (shutdown: finished work is never given back), trying calls
   * that fail whole again with {@code backoff} for up to {@link #AT_SHUTDOWN}, and waiting that
   * long for calls the delete loops still have under way; what is still not deleted then was
   * processed and comes back after its visibility timeout (at-least-once), each logged.
   */
  void deleteAll(ReceiveBackoff backoff) {
    deleteFinished(backoff, clock.instant().plus(AT_SHUTDOWN), true);
    // Left to the loop whose call it is (the call may yet delete it), but said, since the task
    // exits before that call ends.
    for (String messageId : ledger.idsIn(MessageLedger.State.DELETING)) {
      abandoned(
          messageId,
          "its delete call was still unanswered when the task stopped",
          "deleted if that call reached SQS, else processed, will be delivered again"
              + " (at-least-once)");
    }
  }

  /**
   * The stop's second look, once no work can finish any more: deletes the messages that finished
   * after {@link #deleteAll} (their work ended while the stop waited for the heartbeats' end), or
   * came back from a delete loop's call that failed whole, as {@code deleteAll} does but until
   * {@code until} and without waiting for the delete loops' calls (already said by {@code
   * deleteAll}); what is still not deleted by then is logged. No call when none finished.
   */
  void deleteLate(ReceiveBackoff backoff, Instant until) {
    deleteFinished(backoff, until, false);
  }

  private void deleteFinished(ReceiveBackoff backoff, Instant until, boolean awaitCallsUnderWay) {
    while (!Thread.currentThread().isInterrupted()) {
      Duration left = Duration.between(clock.instant(), until);
      if (left.compareTo(SqsBatches.MIN_CALL) < 0) {
        break;
      }
      Pass pass = deleteSome(Optional.of(left));
      if (pass.taken() == 0) {
        // The delete loops are joined for a second only: one may still be in a call with some
        // messages, which come back here if it fails whole. Waited for within this time, not left
        // to a task that exits before their call ends.
        if (!awaitCallsUnderWay || ledger.count(MessageLedger.State.DELETING) == 0) {
          break;
        }
        try {
          ledger.awaitFinished(Duration.ofMillis(Math.min(100, left.toMillis())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        continue;
      }
      if (pass.callFailed()) {
        Duration wait = backoff.next();
        Duration rest = Duration.between(clock.instant(), until);
        try {
          Thread.sleep(Math.max(0, Math.min(wait.toMillis(), rest.toMillis())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    for (MessageLedger.Finished<WorkerTracing.MessageTrace> message :
        ledger.takeFinished(Integer.MAX_VALUE)) {
      abandoned(
          message.messageId(),
          "no delete call succeeded before the task stopped",
          "processed, will be delivered again (at-least-once)");
      ledger.settled(message.receiptHandle());
      message.attachment().finish(Clocks.seconds());
    }
  }

  /** One {@code delete-abandoned} line: a finished message the stop leaves undeleted, and why. */
  private void abandoned(String messageId, String error, String consequence) {
    log.warn(
        "delete-abandoned",
        Map.of("messageId", messageId, "error", error, "consequence", consequence));
  }
}
