package dev.queuescaler.worker;

import dev.queuescaler.message.SqsErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * The worker's batch calls, ten entries a call, with the answer for every entry. SQS answers a
 * batch call with 200 and per-entry failures, so each entry's result is read, never assumed. A call
 * that fails whole (after the SDK's own retries) is not an answer about its entries: they are
 * reported apart, as unanswered, because SQS refused none of them.
 */
final class SqsBatches {

  /**
   * The result of one batch operation.
   *
   * @param succeeded handles SQS applied the operation to
   * @param refused handles SQS answered with a per-entry failure, with its code and message
   * @param unanswered handles whose call failed whole (5xx, throttling, network, or an error no
   *     retry can mend), with the error: SQS said nothing about them
   * @param unmendable the error of a call that failed whole with an error no retry can mend (access
   *     denied, the queue does not exist; classified as {@link ReceiveBackoff} classifies a
   *     receive's), if one did
   */
  record Result(
      List<String> succeeded,
      Map<String, String> refused,
      Map<String, String> unanswered,
      Optional<String> unmendable) {
    Result {
      succeeded = List.copyOf(succeeded);
      refused = Map.copyOf(refused);
      unanswered = Map.copyOf(unanswered);
    }

    /** Every handle the operation did not reach, refused or unanswered, with why. */
    Map<String, String> failed() {
      Map<String, String> failed = new LinkedHashMap<>(unanswered);
      failed.putAll(refused);
      return failed;
    }
  }

  static final int MAX_ENTRIES = 10;

  /**
   * The least time worth a call under a deadline (the stop's last deletes and give-back): with less
   * left, the call is not made and its messages count as not deleted or not given back.
   */
  static final Duration MIN_CALL = Duration.ofMillis(100);

  private final SqsClient sqs;
  private final String queueUrl;

  SqsBatches(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** ChangeMessageVisibilityBatch for every handle, ten at a time. */
  Result changeVisibility(List<String> receiptHandles, int visibilitySeconds) {
    return changeVisibility(receiptHandles, visibilitySeconds, Optional.empty());
  }

  /**
   * ChangeMessageVisibilityBatch for every handle, ten at a time, each call (its SDK retries
   * included) given at most {@code callTimeout} when one is given.
   */
  Result changeVisibility(
      List<String> receiptHandles, int visibilitySeconds, Optional<Duration> callTimeout) {
    return changeVisibility(receiptHandles, handle -> visibilitySeconds, callTimeout);
  }

  /**
   * One ChangeMessageVisibilityBatch call for up to ten handles, each with its own visibility
   * timeout (a heartbeat near SQS's 12-hour limit asks for less for some), given at most {@code
   * callTimeout}.
   */
  Result changeVisibility(Map<String, Integer> secondsByHandle, Duration callTimeout) {
    if (secondsByHandle.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "at most " + MAX_ENTRIES + " handles a call, not " + secondsByHandle.size());
    }
    return changeVisibility(
        List.copyOf(secondsByHandle.keySet()), secondsByHandle::get, Optional.of(callTimeout));
  }

  private Result changeVisibility(
      List<String> receiptHandles,
      ToIntFunction<String> secondsOf,
      Optional<Duration> callTimeout) {
    return inBatches(
        receiptHandles,
        group -> {
          List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
          for (int i = 0; i < group.size(); i++) {
            entries.add(
                ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(group.get(i))
                    .visibilityTimeout(secondsOf.applyAsInt(group.get(i)))
                    .build());
          }
          return sqs.changeMessageVisibilityBatch(
                  r -> limited(r.queueUrl(queueUrl).entries(entries), callTimeout))
              .failed();
        });
  }

  /** The call (its SDK retries included) given at most {@code callTimeout} when one is given. */
  private static void limited(AwsRequest.Builder request, Optional<Duration> callTimeout) {
    callTimeout.ifPresent(timeout -> request.overrideConfiguration(o -> o.apiCallTimeout(timeout)));
  }

  /** DeleteMessageBatch for every handle, ten at a time. */
  Result delete(List<String> receiptHandles) {
    return delete(receiptHandles, Optional.empty());
  }

  /**
   * DeleteMessageBatch for every handle, ten at a time, each call (its SDK retries included) given
   * at most {@code callTimeout} when one is given.
   */
  Result delete(List<String> receiptHandles, Optional<Duration> callTimeout) {
    return inBatches(
        receiptHandles,
        group -> {
          List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
          for (int i = 0; i < group.size(); i++) {
            entries.add(
                DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(group.get(i))
                    .build());
          }
          return sqs.deleteMessageBatch(
                  r -> limited(r.queueUrl(queueUrl).entries(entries), callTimeout))
              .failed();
        });
  }

  /** One batch call for up to ten handles (entry ids are their indexes); returns its failures. */
  @FunctionalInterface
  private interface BatchCall {
    List<BatchResultErrorEntry> call(List<String> group);
  }

  private static Result inBatches(List<String> receiptHandles, BatchCall call) {
    List<String> succeeded = new ArrayList<>();
    Map<String, String> refused = new LinkedHashMap<>();
    Map<String, String> unanswered = new LinkedHashMap<>();
    Optional<String> unmendable = Optional.empty();
    for (int from = 0; from < receiptHandles.size(); from += MAX_ENTRIES) {
      List<String> group =
          receiptHandles.subList(from, Math.min(receiptHandles.size(), from + MAX_ENTRIES));
      Map<String, String> groupRefusals = new LinkedHashMap<>();
      Map<String, String> groupServerFaults = new LinkedHashMap<>();
      try {
        for (BatchResultErrorEntry error : call.call(group)) {
          String handle = group.get(Integer.parseInt(error.id()));
          String why = error.code() + ": " + error.message();
          // An entry SQS failed on its own side (senderFault false, e.g. InternalError) is not a
          // refusal: the message may still be ours, so it is tried again like a failed call.
          if (Boolean.FALSE.equals(error.senderFault())) {
            groupServerFaults.put(handle, why);
          } else {
            groupRefusals.put(handle, why);
          }
        }
      } catch (SdkException e) {
        group.forEach(handle -> unanswered.put(handle, String.valueOf(e.getMessage())));
        if (unmendable.isEmpty() && !SqsErrors.isRetryable(e)) {
          unmendable = Optional.of(ReceiveBackoff.describe(e));
        }
        continue;
      }
      for (String handle : group) {
        if (groupRefusals.containsKey(handle)) {
          refused.put(handle, groupRefusals.get(handle));
        } else if (groupServerFaults.containsKey(handle)) {
          unanswered.put(handle, groupServerFaults.get(handle));
        } else {
          succeeded.add(handle);
        }
      }
    }
    return new Result(succeeded, refused, unanswered, unmendable);
  }
}
