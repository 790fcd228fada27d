package dev.queuescaler.generator;

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
            + refusal.awsErrorDetails().errorCode()
            + " (status "
            + refusal.statusCode()
            + "): "
            + Objects.requireNonNullElse(refusal.awsErrorDetails().errorMessage(), "no message")
            + "; "
            + sent
            + " of "
            + count
            + " sent, the rest not",
        refusal);
  }
}
