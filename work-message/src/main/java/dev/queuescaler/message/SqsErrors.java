package dev.queuescaler.message;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.KmsThrottledException;
import software.amazon.awssdk.services.sqs.model.OverLimitException;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;

/**
 * Whether a failed SQS call is worth trying again, for the worker and the generator alike.
 *
 * <p>Classified from the errors SQS documents for ReceiveMessage and the batch calls, as the SDK
 * reports them (the modeled exception, or the {@code x-amzn-query-error} code of SQS's JSON
 * protocol):
 *
 * <ul>
 *   <li>Retryable, because they pass without anyone acting: {@code OverLimit} (the queue's
 *       in-flight limit, about 120,000 on a standard queue: other consumers' deletes lower it),
 *       {@code RequestThrottled}, {@code KmsThrottled} ({@code KMS.ThrottlingException}: SQS's
 *       calls to KMS for an SSE-KMS queue), any throttling the SDK recognises, every 5xx, and
 *       failures that never reached SQS (network, timeouts). Every task meets these at the same
 *       moment: exiting on them would stop the whole fleet at once.
 *   <li>Fatal, because only an operator can mend them: {@code QueueDoesNotExist}, {@code
 *       InvalidAddress}, {@code InvalidSecurity}, {@code UnsupportedOperation}, access denied, and
 *       the KMS key's own state ({@code KmsAccessDenied}, {@code KmsDisabled}, {@code
 *       KmsInvalidKeyUsage}, {@code KmsInvalidState}, {@code KmsNotFound}, {@code
 *       KmsOptInRequired}). So is any other 4xx: an error nobody has classified is not retried
 *       every second forever. The worker ends loudly so that ECS replaces the task and the operator
 *       sees why; the generator stops sending and fails with the reason.
 * </ul>
 */
public final class SqsErrors {

  /**
   * Codes of transient errors that the SDK does not count as throttling: both spellings, the error
   * shape of SQS's JSON protocol and its query-protocol code.
   */
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "OverLimit",
          "RequestThrottled",
          "KmsThrottled",
          "KMS.ThrottlingException",
          "ThrottlingException",
          "Throttling");

  private SqsErrors() {}

  /** Whether {@code e} passes without anyone acting, so the call is worth trying again. */
  public static boolean isRetryable(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return true; // never reached SQS, or no answer: network, timeouts
    }
    return service.statusCode() >= 500
        || service.isThrottlingException()
        || e instanceof OverLimitException
        || e instanceof RequestThrottledException
        || e instanceof KmsThrottledException
        || TRANSIENT_CODES.contains(errorCode(service));
  }

  /** The error's code as the SDK parsed it ({@code AWS.SimpleQueueService.NonExistentQueue}). */
  public static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? ""
        : e.awsErrorDetails().errorCode();
  }
}
