package dev.queuescaler.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * The worker's batch calls, ten entries a call, with the answer for every entry. SQS answers a
 * batch call with 200 and per-entry failures, so each entry's result is read, never assumed; a call
 * that fails whole fails each of its entries with the call's error.
 */
final class SqsBatches {

  /** The result of one batch operation: the handles that succeeded and the ones that failed. */
  record Result(List<String> succeeded, Map<String, String> failed) {
    Result {
      succeeded = List.copyOf(succeeded);
      failed = Map.copyOf(failed);
    }
  }

  static final int MAX_ENTRIES = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  SqsBatches(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** ChangeMessageVisibilityBatch for every handle, ten at a time. */
  Result changeVisibility(List<String> receiptHandles, int visibilitySeconds) {
    return inBatches(
        receiptHandles,
        group -> {
          List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
          for (int i = 0; i < group.size(); i++) {
            entries.add(
                ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(group.get(i))
                    .visibilityTimeout(visibilitySeconds)
                    .build());
          }
          return sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries))
              .failed();
        });
  }

  /** DeleteMessageBatch for every handle, ten at a time. */
  Result delete(List<String> receiptHandles) {
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
          return sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed();
        });
  }

  /** One batch call for up to ten handles (entry ids are their indexes); returns its failures. */
  @FunctionalInterface
  private interface BatchCall {
    List<BatchResultErrorEntry> call(List<String> group);
  }

  private static Result inBatches(List<String> receiptHandles, BatchCall call) {
    List<String> succeeded = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (int from = 0; from < receiptHandles.size(); from += MAX_ENTRIES) {
      List<String> group =
          receiptHandles.subList(from, Math.min(receiptHandles.size(), from + MAX_ENTRIES));
      Map<String, String> groupFailures = new LinkedHashMap<>();
      try {
        for (BatchResultErrorEntry error : call.call(group)) {
          groupFailures.put(
              group.get(Integer.parseInt(error.id())), error.code() + ": " + error.message());
        }
      } catch (SdkException e) {
        group.forEach(handle -> groupFailures.put(handle, String.valueOf(e.getMessage())));
      }
      for (String handle : group) {
        if (groupFailures.containsKey(handle)) {
          failed.put(handle, groupFailures.get(handle));
        } else {
          succeeded.add(handle);
        }
      }
    }
    return new Result(succeeded, failed);
  }
}
