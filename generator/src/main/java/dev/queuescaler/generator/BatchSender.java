package dev.queuescaler.generator;

import dev.queuescaler.message.SqsErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends messages ten per SendMessageBatch (fewer when ten bodies would pass the call's 1 MiB),
 * several calls in flight. SendMessageBatch answers 200 with per-entry failures: those entries are
 * retried (a few times, with a short backoff) and the ones still failing are counted, never dropped
 * silently, with the reason of one of them. A call SQS refuses as a whole for a reason no retry
 * changes (no such queue, no permission to send) ends the sending: no further call is made, and it
 * throws with SQS's reason, the queue and how many were sent. So does a batch whose every attempt
 * failed before a request could leave (no credentials, no connection) while no call of the sending
 * may have reached SQS yet: the calls after it would fail the same way, a million messages' worth
 * of them for hours.
 */
final class BatchSender implements AutoCloseable {

  static final int BATCH_SIZE = 10;
  static final int ATTEMPTS = 3;

  /** SendMessageBatch's limit on a call's bodies together: 1 MiB, the same as one message's. */
  static final int BYTES_PER_CALL = 1_048_576;

  private final SqsClient sqs;
  private final GeneratorTracing tracing;
  private final ExecutorService calls;

  BatchSender(SqsClient sqs, GeneratorTracing tracing, int callsInFlight) {
    this.sqs = sqs;
    this.tracing = tracing;
    this.calls = Executors.newFixedThreadPool(callsInFlight, daemon());
  }

  SendSummary send(String queueUrl, int count, MessageBodies bodies) {
    return send(queueUrl, count, bodies, Optional.empty());
  }

  /**
   * Sends, starting no batch and no retry once {@code sendFor} has passed (a Lambda invocation's
   * time less what its calls in flight may still take): the batches left are counted as failed,
   * with that reason, and the summary still comes back.
   */
  SendSummary send(String queueUrl, int count, MessageBodies bodies, Optional<Duration> sendFor) {
    long started = System.nanoTime();
    long stopAt = sendFor.map(d -> started + Math.max(0, d.toNanos())).orElse(Long.MAX_VALUE);
    int perCall = entriesPerCall(bodies.bodyBytes());
    AtomicReference<SdkException> refused = new AtomicReference<>();
    AtomicBoolean mayHaveReached = new AtomicBoolean();
    AtomicReference<String> lastFailure = new AtomicReference<>();
    Outcomes outcomes = new Outcomes(refused, mayHaveReached, lastFailure, stopAt);
    List<Future<long[]>> batches = new ArrayList<>();
    for (int first = 0; first < count; first += perCall) {
      int size = Math.min(perCall, count - first);
      batches.add(
          calls.submit(
              tracing.carryOver(
                  () -> {
                    if (refused.get() != null) {
                      return new long[] {0, size};
                    }
                    if (outcomes.outOfTime()) {
                      lastFailure.set(OUT_OF_TIME);
                      return new long[] {0, size};
                    }
                    return tracing.inBatch(
                        header -> sendBatch(queueUrl, size, bodies, header, outcomes));
                  })));
    }
    long sent = 0;
    long failed = 0;
    for (Future<long[]> batch : batches) {
      try {
        long[] result = batch.get();
        sent += result[0];
        failed += result[1];
      } catch (ExecutionException e) {
        throw new IllegalStateException("a batch could not be sent: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending", e);
      }
    }
    SdkException refusal = refused.get();
    if (refusal != null) {
      throw new SendRefused(queueUrl, refusal, sent, count);
    }
    return new SendSummary(
        sent,
        failed,
        (System.nanoTime() - started) / 1_000_000,
        Optional.ofNullable(lastFailure.get()));
  }

  /** How many bodies of {@code bodyBytes} one call takes: ten, or fewer when ten pass 1 MiB. */
  static int entriesPerCall(int bodyBytes) {
    return Math.max(1, Math.min(BATCH_SIZE, BYTES_PER_CALL / bodyBytes));
  }

  /**
   * Whether SQS refused the call for a reason every retry meets again (no such queue, access
   * denied, a request too long): an answer from SQS that {@link SqsErrors#isRetryable} does not
   * count as passing (throttling, KMS's included, and 5xx are tried again).
   */
  private static boolean refusedForGood(SdkException callFailed) {
    return callFailed instanceof AwsServiceException && !SqsErrors.isRetryable(callFailed);
  }

  /**
   * What the batches of one sending share: the failure that stops it (a refusal for good, or calls
   * that never reached SQS before anything did), whether any call may have reached SQS (an answer,
   * a timeout, a lost answer), and why a message last failed.
   */
  private record Outcomes(
      AtomicReference<SdkException> refused,
      AtomicBoolean mayHaveReached,
      AtomicReference<String> lastFailure,
      long stopAtNanos) {

    boolean outOfTime() {
      return System.nanoTime() - stopAtNanos >= 0;
    }
  }

  static final String OUT_OF_TIME =
      "not sent: the time to send ran out (the invocation's, less what it keeps back)";

  /**
   * Returns {sent, failed} for one batch; a call refused for good is kept in {@code refused} and
   * ends the batch, as does a batch whose every attempt failed before a request could leave while
   * no call of the sending may have reached SQS.
   */
  private long[] sendBatch(
      String queueUrl, int size, MessageBodies bodies, Optional<String> trace, Outcomes outcomes) {
    AtomicReference<SdkException> refused = outcomes.refused();
    Map<String, SendMessageBatchRequestEntry> pending = new HashMap<>();
    for (int i = 0; i < size; i++) {
      SendMessageBatchRequestEntry.Builder entry =
          SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.next());
      trace.ifPresent(
          header ->
              entry.messageSystemAttributes(
                  Map.of(
                      MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                      MessageSystemAttributeValue.builder()
                          .dataType("String")
                          .stringValue(header)
                          .build())));
      pending.put(entry.build().id(), entry.build());
    }
    long rejected = 0;
    // Why each message of the batch not sent (yet) failed last: the summary's reason is one of
    // them.
    Map<String, String> why = new HashMap<>();
    SdkException neverSent = null;
    for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
      if (attempt > 1) {
        // Another batch's refusal for good ends this one's retries too, as does the time running
        // out.
        if (refused.get() != null) {
          break;
        }
        if (outcomes.outOfTime()) {
          pending.keySet().forEach(id -> why.putIfAbsent(id, OUT_OF_TIME));
          break;
        }
        pause(100L * attempt);
      }
      SendMessageBatchResponse response;
      try {
        List<SendMessageBatchRequestEntry> entries = List.copyOf(pending.values());
        response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
      } catch (SdkException callFailed) {
        if (refusedForGood(callFailed)) {
          // The same call fails the same way again: no more calls; send() says why.
          refused.compareAndSet(null, callFailed);
          break;
        }
        String reason = "SendMessageBatch failed: " + callFailed.getMessage();
        pending.keySet().forEach(id -> why.put(id, reason));
        if (callFailed instanceof AwsServiceException) {
          outcomes.mayHaveReached().set(true);
        } else if (neverSent(callFailed)) {
          neverSent = callFailed;
        } else {
          // A timeout or a lost answer: SQS may have applied the call, so the sending may have
          // reached it.
          outcomes.mayHaveReached().set(true);
        }
        // The SDK already retried throttling and 5xx; try the whole batch again.
        continue;
      }
      outcomes.mayHaveReached().set(true);
      response
          .successful()
          .forEach(
              ok -> {
                pending.remove(ok.id());
                why.remove(ok.id());
              });
      for (BatchResultErrorEntry error : response.failed()) {
        why.put(
            error.id(),
            "SQS rejected an entry: "
                + error.code()
                + Optional.ofNullable(error.message()).map(m -> " (" + m + ")").orElse(""));
        if (Boolean.TRUE.equals(error.senderFault()) && pending.remove(error.id()) != null) {
          // A sender fault (e.g. an invalid body) fails the same way again: do not retry it.
          rejected++;
        }
      }
    }
    // Every other outcome of an attempt sets mayHaveReached: so this batch's attempts all failed
    // before a request could leave, and nothing of the sending may have reached SQS yet; the calls
    // after it would not either.
    if (neverSent != null && !outcomes.mayHaveReached().get()) {
      refused.compareAndSet(null, neverSent);
    }
    long failed = pending.size() + rejected;
    if (failed > 0 && !why.isEmpty()) {
      outcomes.lastFailure().set(why.values().iterator().next());
    }
    return new long[] {size - failed, failed};
  }

  /**
   * Whether a call surely never reached SQS, so that the next ones will not either: no credentials
   * to sign it with (the SDK's words), or no connection to open (an unknown host, a refused
   * connection, no route). Not a timeout or a connection lost mid-call: SQS may have applied it.
   */
  static boolean neverSent(SdkException callFailed) {
    if (String.valueOf(callFailed.getMessage()).startsWith("Unable to load credentials")) {
      return true;
    }
    return noConnection(callFailed) && everyAttemptFailedAlike(callFailed);
  }

  private static boolean noConnection(SdkException callFailed) {
    for (Throwable cause = callFailed; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException
          || cause instanceof java.net.UnknownHostException
          || cause instanceof java.net.NoRouteToHostException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * The SDK throws its last attempt's failure and keeps only the messages of the ones before
   * ("Request attempt N failure: ..."): an earlier attempt that failed otherwise (a timeout, an
   * answer lost) may have reached SQS.
   */
  private static boolean everyAttemptFailedAlike(SdkException callFailed) {
    String last = ATTEMPT_COUNT.matcher(String.valueOf(callFailed.getMessage())).replaceFirst("");
    for (Throwable earlier : callFailed.getSuppressed()) {
      String message = String.valueOf(earlier.getMessage());
      if (message.startsWith("Request attempt") && !message.endsWith(last)) {
        return false;
      }
    }
    return true;
  }

  private static final java.util.regex.Pattern ATTEMPT_COUNT =
      java.util.regex.Pattern.compile(" \\(SDK Attempt Count: \\d+\\)$");

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "generator-send");
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
