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

  /**
   * The longest check body sent: SQS's (and the checks queue's) 1 MiB, 1,048,576 bytes, less a
   * margin for what else SQS counts against it (the trace header). A check's targets are counted
   * (ScalingCycle's TARGETS_PER_CHECK), but a queue URL is configuration text of any length, so the
   * bytes are measured too.
   */
  static final int BYTES_PER_MESSAGE = 1_000_000;

  /** SQS's longest DelaySeconds. */
  static final int LONGEST_DELAY_SECONDS = 900;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsIdleCheckTrigger(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(List<IdleCheck> sent, Instant now) {
    List<IdleCheck> checks = new ArrayList<>();
    sent.forEach(check -> checks.addAll(fitting(check)));
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

  /**
   * {@code check} as checks due at the same time whose bodies each fit {@link #BYTES_PER_MESSAGE}:
   * halved until they do.
   *
   * @throws AwsFailure when one target alone does not fit (nothing is sent)
   */
  static List<IdleCheck> fitting(IdleCheck check) {
    int bytes = IdleCheckMessages.encode(check).getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= BYTES_PER_MESSAGE) {
      return List.of(check);
    }
    List<IdleCheck.Target> targets = check.targets();
    if (targets.size() == 1) {
      throw new AwsFailure(
          "SendMessageBatch",
          targets.get(0).queueUrl(),
          "the idle check of "
              + targets.get(0).name()
              + " is "
              + bytes
              + " bytes, over "
              + BYTES_PER_MESSAGE
              + "; not sent");
    }
    int half = targets.size() / 2;
    List<IdleCheck> fitting = new ArrayList<>();
    fitting.addAll(
        fitting(new IdleCheck(check.invoked(), check.offset(), targets.subList(0, half))));
    fitting.addAll(
        fitting(
            new IdleCheck(check.invoked(), check.offset(), targets.subList(half, targets.size()))));
    return fitting;
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
