package dev.queuescaler.worker;

import dev.queuescaler.message.SqsErrors;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a receive loop does after a failed ReceiveMessage: wait and retry (exponential backoff with
 * full jitter, as AWS's "Exponential Backoff and Jitter" recommends), or give up for good.
 *
 * <p>Which failures are retried and which end the worker: {@link SqsErrors#isRetryable}.
 */
final class ReceiveBackoff {

  static final Duration BASE = Duration.ofMillis(200);
  static final Duration CAP = Duration.ofSeconds(20);

  private final DoubleSupplier random;
  private int failuresInARow;

  ReceiveBackoff(DoubleSupplier random) {
    this.random = random;
  }

  /** A backoff with its jitter from this thread's random numbers: what the worker's loops use. */
  static ReceiveBackoff jittered() {
    return new ReceiveBackoff(() -> ThreadLocalRandom.current().nextDouble());
  }

  /** How a failure reads in a log line: its code, when SQS sent one, and its message. */
  static String describe(SdkException e) {
    String code = e instanceof AwsServiceException service ? SqsErrors.errorCode(service) : "";
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
