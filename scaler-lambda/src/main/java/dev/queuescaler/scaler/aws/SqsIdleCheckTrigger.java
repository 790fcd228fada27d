package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.cycle.IdleCheckTrigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends idle checks to the stack's checks queue, ten to a SendMessageBatch call, each delayed
 * ({@code DelaySeconds}, rounded up) until it is due; the function consumes the queue.
 */
public final class SqsIdleCheckTrigger implements IdleCheckTrigger {

  /** SendMessageBatch's limit of entries per call. */
  static final int ENTRIES_PER_CALL = 10;

  /** SendMessageBatch's limit of payload per call (SQS's default message size, 256 KiB). */
  static final int BYTES_PER_CALL = 262_144;

  /** SQS's longest DelaySeconds. */
  static final int LONGEST_DELAY_SECONDS = 900;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsIdleCheckTrigger(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(List<IdleCheck> checks, Instant now) {
    List<List<SendMessageBatchRequestEntry>> calls = new ArrayList<>();
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < checks.size(); i++) {
      IdleCheck check = checks.get(i);
      String body = IdleCheckMessages.encode(check);
      int size = body.getBytes(StandardCharsets.UTF_8).length;
      if (entries.size() == ENTRIES_PER_CALL
          || (!entries.isEmpty() && bytes + size > BYTES_PER_CALL)) {
        calls.add(entries);
        entries = new ArrayList<>();
        bytes = 0;
      }
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id("check-" + i + "-at-" + check.offset().toSeconds())
              .delaySeconds(delaySeconds(check.due(), now))
              .messageBody(body)
              .build());
      bytes += size;
    }
    if (!entries.isEmpty()) {
      calls.add(entries);
    }
    List<String> failed = new ArrayList<>();
    for (List<SendMessageBatchRequestEntry> call : calls) {
      SendMessageBatchResponse response;
      try {
        response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(call));
      } catch (SdkException e) {
        throw new AwsFailure("SendMessageBatch", queueUrl, e);
      }
      for (BatchResultErrorEntry error : response.failed()) {
        failed.add(error.id() + " (" + error.code() + ": " + error.message() + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw new AwsFailure("SendMessageBatch", queueUrl, "not sent: " + String.join(", ", failed));
    }
  }

  /** Seconds from {@code now} until {@code due}, rounded up: a check never comes early. */
  static int delaySeconds(Instant due, Instant now) {
    Duration left = Duration.between(now, due);
    if (left.isNegative() || left.isZero()) {
      return 0;
    }
    long seconds = left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0);
    return (int) Math.min(seconds, LONGEST_DELAY_SECONDS);
  }
}
