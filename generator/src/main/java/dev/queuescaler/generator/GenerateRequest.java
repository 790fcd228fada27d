package dev.queuescaler.generator;

import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation sends, validated before anything is sent.
 *
 * @param queueUrl the target queue
 * @param count messages to send when there is no profile, 0..{@value #MAX_COUNT}
 * @param profile a time-driven count instead of {@code count}
 * @param bodyBytes each body's exact size in bytes, from the JSON skeleton's size up to the SQS
 *     limit of {@value #MAX_BODY_BYTES}
 * @param workMillis the work each message asks for, 0..{@value #MAX_WORK_MILLIS}
 * @param failRate the share of messages marked to fail, 0..1
 * @param seed the random seed, for reproducible bodies
 */
public record GenerateRequest(
    String queueUrl,
    int count,
    Optional<LoadProfile> profile,
    int bodyBytes,
    int workMillis,
    double failRate,
    Optional<Long> seed) {

  /** More than this in one invocation is a typo, not a load test. */
  public static final int MAX_COUNT = 1_000_000;

  /** SQS's message size limit (1 MiB). */
  public static final int MAX_BODY_BYTES = 1_048_576;

  /** Twelve hours, SQS's longest visibility timeout. */
  public static final int MAX_WORK_MILLIS = 43_200_000;

  public static final int DEFAULT_BODY_BYTES = 256;
  public static final int DEFAULT_WORK_MILLIS = 100;

  public GenerateRequest {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(seed, "seed");
    if (queueUrl == null || queueUrl.isBlank()) {
      throw new IllegalArgumentException("queueUrl is required (the QUEUE_URL to send to)");
    }
    if (!queueUrl.startsWith("http://") && !queueUrl.startsWith("https://")) {
      throw new IllegalArgumentException("queueUrl must be an SQS queue URL but was " + queueUrl);
    }
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "count must be between 0 and " + MAX_COUNT + " but was " + count);
    }
    if (workMillis < 0 || workMillis > MAX_WORK_MILLIS) {
      throw new IllegalArgumentException(
          "workMillis must be between 0 and " + MAX_WORK_MILLIS + " but was " + workMillis);
    }
    if (!(failRate >= 0 && failRate <= 1)) {
      throw new IllegalArgumentException("failRate must be between 0 and 1 but was " + failRate);
    }
    int smallest = MessageBodies.smallestBody(workMillis);
    if (bodyBytes < smallest || bodyBytes > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "bodyBytes must be between "
              + smallest
              + " (the JSON fields alone) and "
              + MAX_BODY_BYTES
              + " but was "
              + bodyBytes);
    }
  }
}
