package dev.queuescaler.generator;

import dev.queuescaler.message.SqsErrors;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The sending stopped for a reason no retry changes: SQS refused a SendMessageBatch call (no such
 * queue, no permission to send), or no call could leave for SQS at all (no credentials; an unknown
 * host, a refused connection). The message says the reason, the queue and how many were sent before
 * it.
 */
final class SendRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  SendRefused(String queueUrl, SdkException stopped, long sent, int count) {
    super(
        reason(queueUrl, stopped) + "; " + sent + " of " + count + " sent, the rest not", stopped);
  }

  private static String reason(String queueUrl, SdkException stopped) {
    if (stopped instanceof AwsServiceException refusal) {
      return "SQS refused SendMessageBatch to "
          + queueUrl
          + ": "
          + SqsErrors.errorCode(refusal)
          + " (status "
          + refusal.statusCode()
          + "): "
          + (refusal.awsErrorDetails() == null
              ? "no message"
              : Objects.requireNonNullElse(refusal.awsErrorDetails().errorMessage(), "no message"));
    }
    return "SendMessageBatch to " + queueUrl + " never reached SQS: " + stopped.getMessage();
  }
}
