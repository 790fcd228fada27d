package dev.queuescaler.generator;

import dev.queuescaler.message.SqsErrors;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * SQS refused a SendMessageBatch call for a reason no retry changes (no such queue, no permission
 * to send), so the sending stopped: the message says SQS's reason, the queue and how many were sent
 * before it.
 */
final class SendRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  SendRefused(String queueUrl, AwsServiceException refusal, long sent, int count) {
    super(
        "SQS refused SendMessageBatch to "
            + queueUrl
            + ": "
            + SqsErrors.errorCode(refusal)
            + " (status "
            + refusal.statusCode()
            + "): "
            + (refusal.awsErrorDetails() == null
                ? "no message"
                : Objects.requireNonNullElse(
                    refusal.awsErrorDetails().errorMessage(), "no message"))
            + "; "
            + sent
            + " of "
            + count
            + " sent, the rest not",
        refusal);
  }
}
