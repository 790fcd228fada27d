package dev.queuescaler.worker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.KmsThrottledException;
import software.amazon.awssdk.services.sqs.model.OverLimitException;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;

/**
 * What a receive loop does after a failed ReceiveMessage: wait and retry (exponential backoff with
 * full jitter, as AWS's "Exponential Backoff and Jitter" recommends), or give up for good.
 *
 * <p>Classified from the errors SQS documents for ReceiveMessage, as the SDK reports them (the
 * modeled exception, or the {@code x-amzn-query-error} code of SQS's JSON protocol):
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
 *       every second forever. The process ends loudly so that ECS replaces the task and the
 *       operator sees why.
 * </ul>
 */
final class ReceiveBackoff {

  static final Duration BASE = Duration.ofMillis(200);
  static final Duration CAP = Duration.ofSeconds(20);

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

  private final DoubleSupplier random;
  private int failuresInARow;

  ReceiveBackoff(DoubleSupplier random) {
    this.random = random;
  }

  /** A backoff with its jitter from this thread's random numbers: what the worker's loops use. */
  static ReceiveBackoff jittered() {
    return new ReceiveBackoff(() -> ThreadLocalRandom.current().nextDouble());
  }

  static boolean isRetryable(SdkException e) {
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
  static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? ""
        : e.awsErrorDetails().errorCode();
  }

  /** How a failure reads in a log line: its code, when SQS sent one, and its message. */
  static String describe(SdkException e) {
    String code = e instanceof AwsServiceException service ? errorCode(service) : "";
    return code.isEmpty() ? String.valueOf(e.getMessage()) : code + ": " + e.getMessage();
  }

  /**
   * The wait before the next attempt after one more failure: uniform in [0, min(cap, base*2^n)).
   */
  Duration next() {
    int exponent = Math.min(failuresInARow, 16);
    failuresInARow++;
    long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << exponent);
    return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
  }

  /** A receive succeeded: the next failure starts from the base again. */
  void reset() {
    failuresInARow = 0;
  }
}
