package dev.queuescaler.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deletes finished messages as they finish, up to ten a call, whatever batch they came in: a slow
 * message never keeps its finished batch-mates undeleted. A message that SQS refuses to delete was
 * processed and will be delivered again (at-least-once); it is logged and leaves the ledger. A call
 * that fails whole is tried again, up to {@link #MAX_DELETE_CALLS} calls; one that fails with an
 * error no retry can mend is also reported as fatal.
 */
final class FinishedDeleter {

  /**
   * Delete calls a message gets when they fail whole (5xx, throttling or a timeout through all the
   * SDK's attempts): a failed call says nothing about its messages, so they are tried again.
   */
  static final int MAX_DELETE_CALLS = 3;

  /** A short wait for batch-mates, so a busy worker deletes ten per call rather than one. */
  static final Duration LINGER = Duration.ofMillis(20);

  private final MessageLedger<WorkerTracing.MessageTrace> ledger;
  private final SqsBatches batches;
  private final JsonLog log;
  private final Consumer<String> onUnmendable;

  /**
   * @param onUnmendable told the error when a call fails with one no retry can mend (access denied,
   *     the queue does not exist): deletes cannot succeed, so the worker must stop rather than
   *     process every message again until it is dead-lettered
   */
  FinishedDeleter(
      MessageLedger<WorkerTracing.MessageTrace> ledger,
      SqsBatches batches,
      JsonLog log,
      Consumer<String> onUnmendable) {
    this.ledger = ledger;
    this.batches = batches;
    this.log = log;
    this.onUnmendable = onUnmendable;
  }

  /** Deletes up to ten finished messages; returns how many it took (0 when none were waiting). */
  int deleteSome() {
    List<MessageLedger.Finished<WorkerTracing.MessageTrace>> finished =
        ledger.takeFinished(SqsBatches.MAX_ENTRIES);
    if (finished.isEmpty()) {
      return 0;
    }
    double start = Clocks.seconds();
    SqsBatches.Result result =
        batches.delete(finished.stream().map(MessageLedger.Finished::receiptHandle).toList());
    double end = Clocks.seconds();
    result.unmendable().ifPresent(onUnmendable);
    Map<String, String> failed = result.failed();
    for (MessageLedger.Finished<WorkerTracing.MessageTrace> message : finished) {
      String unanswered = result.unanswered().get(message.receiptHandle());
      if (unanswered != null && ledger.deleteAgain(message.receiptHandle(), MAX_DELETE_CALLS)) {
        log.warn(
            "delete-call-failed",
            Map.of(
                "messageId",
                message.messageId(),
                "error",
                unanswered,
                "consequence",
                "still ours and heartbeated: deleted in a later call"));
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
    return finished.size();
  }

  /** Deletes every finished message now (shutdown: finished work is never given back). */
  void deleteAll() {
    while (deleteSome() > 0) {
      // until none is waiting
    }
  }
}
