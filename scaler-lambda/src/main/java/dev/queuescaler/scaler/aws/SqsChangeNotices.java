package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.ChangeNotices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The scaler's change queue: an SQS standard queue the stack's rule fills with Parameter Store's
 * change events for the prefix. Received by short polls (a cycle never waits for a notice), removed
 * by {@code DeleteMessageBatch} ten at a time, each entry's failure checked.
 */
public final class SqsChangeNotices implements ChangeNotices {

  /** SQS's bounds for a message's visibility timeout. */
  private static final Duration LONGEST_HIDDEN = Duration.ofHours(12);

  private final SqsClient sqs;
  private final String queueUrl;
  private final String prefix;

  /**
   * @param queueUrl the queue's URL ({@code SCALER_CHANGE_QUEUE_URL})
   * @param prefix the parameter prefix the events name targets under ({@code /queue-scaler})
   */
  public SqsChangeNotices(SqsClient sqs, String queueUrl, String prefix) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public List<Notice> receive(int max, Duration hiddenFor) {
    if (max < 1 || max > MOST_PER_RECEIVE) {
      throw new IllegalArgumentException(
          "max must be 1 to " + MOST_PER_RECEIVE + " but was " + max);
    }
    long seconds = Math.min(LONGEST_HIDDEN.toSeconds(), Math.max(1, hiddenFor.toSeconds()));
    List<Message> messages;
    try {
      messages =
          sqs.receiveMessage(
                  request ->
                      request
                          .queueUrl(queueUrl)
                          .maxNumberOfMessages(max)
                          .waitTimeSeconds(0)
                          .visibilityTimeout((int) seconds)
                          .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
              .messages();
    } catch (SdkException e) {
      throw new AwsFailure("ReceiveMessage", queueUrl, e);
    }
    List<Notice> notices = new ArrayList<>();
    for (Message message : messages) {
      byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
      Optional<String> notAChange =
          ParameterStoreChangeEvent.whyNoChange(body, prefix)
              .map(why -> "message " + message.messageId() + ": " + why + ": " + excerpt(message));
      notices.add(
          new Notice(
              message.receiptHandle(),
              notAChange.isPresent()
                  ? Optional.empty()
                  : ParameterStoreChangeEvent.changedTarget(body, prefix),
              sentAt(message),
              notAChange));
    }
    return notices;
  }

  /** How much of a message that is no change is reported: it is removed, so the line keeps it. */
  private static final int REPORTED_BODY_CHARS = 200;

  private static String excerpt(Message message) {
    String body = message.body();
    return body.length() <= REPORTED_BODY_CHARS
        ? body
        : body.substring(0, REPORTED_BODY_CHARS) + "... (" + body.length() + " characters)";
  }

  /**
   * When the message reached the queue. Without a readable timestamp, now: later than the change,
   * so a read that follows still covers it (and the notice waits for that read).
   */
  private static Instant sentAt(Message message) {
    String millis = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
    try {
      return millis == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(millis));
    } catch (NumberFormatException e) {
      return Instant.now();
    }
  }

  @Override
  public long waiting() {
    String count;
    try {
      count =
          sqs.getQueueAttributes(
                  request ->
                      request
                          .queueUrl(queueUrl)
                          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
              .attributes()
              .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    } catch (SdkException e) {
      throw new AwsFailure("GetQueueAttributes", queueUrl, e);
    }
    try {
      return Math.max(0, Long.parseLong(Objects.requireNonNull(count, "no count")));
    } catch (RuntimeException e) {
      throw new AwsFailure(
          "GetQueueAttributes", queueUrl, "ApproximateNumberOfMessages is \"" + count + "\"");
    }
  }

  @Override
  public void settle(List<Notice> notices) {
    List<String> failures = new ArrayList<>();
    for (int from = 0; from < notices.size(); from += MOST_PER_RECEIVE) {
      List<Notice> batch = notices.subList(from, Math.min(notices.size(), from + MOST_PER_RECEIVE));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(batch.get(i).receipt())
                .build());
      }
      DeleteMessageBatchResponse response;
      try {
        response = sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
      } catch (SdkException e) {
        failures.add(batch.size() + " not removed: " + e.getMessage());
        continue;
      }
      for (BatchResultErrorEntry failed : response.failed()) {
        failures.add(failed.id() + ": " + failed.code() + " " + failed.message());
      }
    }
    if (!failures.isEmpty()) {
      throw new AwsFailure(
          "DeleteMessageBatch",
          queueUrl,
          "notices not removed (they come back and are settled again): "
              + String.join("; ", failures));
    }
  }
}
