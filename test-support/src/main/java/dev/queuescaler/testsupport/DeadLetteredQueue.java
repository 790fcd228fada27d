package dev.queuescaler.testsupport;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A queue with its dead-letter queue, as infra creates them (a redrive policy after {@code
 * maxReceiveCount} receives), on whatever SQS the client points at.
 */
public record DeadLetteredQueue(String queueUrl, String deadLetterQueueUrl) {

  public static DeadLetteredQueue create(
      SqsClient sqs, String name, int visibilityTimeoutSeconds, int maxReceiveCount) {
    String dlq = sqs.createQueue(q -> q.queueName(name + "-dlq")).queueUrl();
    String dlqArn =
        sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String queue =
        sqs.createQueue(
                q ->
                    q.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Integer.toString(visibilityTimeoutSeconds),
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"maxReceiveCount\":\""
                                    + maxReceiveCount
                                    + "\",\"deadLetterTargetArn\":\""
                                    + dlqArn
                                    + "\"}")))
            .queueUrl();
    return new DeadLetteredQueue(queue, dlq);
  }
}
