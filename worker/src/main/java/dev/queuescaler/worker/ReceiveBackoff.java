package dev.queuescaler.worker;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a receive loop does after a failed ReceiveMessage: wait and retry (exponential backoff with
 * full jitter, as AWS's "Exponential Backoff and Jitter" recommends), or give up for good.
 *
 * <p>Retryable: throttling, 5xx, and failures that never reached SQS (network, timeouts). Anything
 * else that SQS answered is a fault of this task's setup (AccessDenied, QueueDoesNotExist, KMS
 * access errors, ...) that no retry will mend: the process should end loudly so that ECS replaces
 * the task and the operator sees it, instead of retrying every second forever.
 */
final class ReceiveBackoff {

  static final Duration BASE = Duration.ofMillis(200);
  static final Duration CAP = Duration.ofSeconds(20);

  private final DoubleSupplier random;
  private int failuresInARow;

  ReceiveBackoff(DoubleSupplier random) {
    this.random = random;
  }

  static boolean isRetryable(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500;
    }
    return true;
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
