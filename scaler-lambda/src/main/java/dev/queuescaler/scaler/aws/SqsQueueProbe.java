package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.QueueProbe;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Reads a queue's approximate counts with one GetQueueAttributes call. */
public final class SqsQueueProbe implements QueueProbe {

  private final SqsClient sqs;

  public SqsQueueProbe(SqsClient sqs) {
    this.sqs = sqs;
  }

  @Override
  public QueueSnapshot read(String queueUrl) {
    Map<QueueAttributeName, String> attributes;
    try {
      attributes =
          sqs.getQueueAttributes(
                  request ->
                      request
                          .queueUrl(queueUrl)
                          .attributeNames(
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
              .attributes();
    } catch (SdkException e) {
      throw new AwsFailure("GetQueueAttributes", queueUrl, e);
    }
    return new QueueSnapshot(
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, queueUrl),
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, queueUrl),
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, queueUrl));
  }

  private static long count(
      Map<QueueAttributeName, String> attributes, QueueAttributeName name, String queueUrl) {
    String value = attributes.get(name);
    if (value == null) {
      throw new AwsFailure("GetQueueAttributes", queueUrl, name + " missing from the response");
    }
    try {
      long count = Long.parseLong(value);
      if (count < 0) {
        throw new NumberFormatException("negative");
      }
      return count;
    } catch (NumberFormatException e) {
      throw new AwsFailure(
          "GetQueueAttributes", queueUrl, name + " is not a count: \"" + value + "\"");
    }
  }
}
