package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.cycle.IdleCheckTrigger;
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
    List<String> failed = new ArrayList<>();
    for (int first = 0; first < checks.size(); first += ENTRIES_PER_CALL) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (IdleCheck check :
          checks.subList(first, Math.min(checks.size(), first + ENTRIES_PER_CALL))) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id("check-" + check.offset().toSeconds())
                .delaySeconds(delaySeconds(check.due(), now))
                .messageBody(IdleCheckMessages.encode(check))
                .build());
      }
      SendMessageBatchResponse response;
      try {
        response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
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
