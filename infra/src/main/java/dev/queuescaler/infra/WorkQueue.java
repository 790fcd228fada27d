package dev.queuescaler.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The work queue and its dead-letter queue: SSE, TLS-only policies, a visibility timeout that fits
 * the worker (its heartbeats extend it for long work), an explicit maximum message size, and a
 * dead-letter queue after {@value #MAX_RECEIVE_COUNT} receives that keeps messages 14 days.
 */
public final class WorkQueue extends Construct {

  public static final int MAX_RECEIVE_COUNT = 5;
  public static final int MAX_MESSAGE_BYTES = 1_048_576;

  private final Queue queue;
  private final Queue deadLetters;

  public WorkQueue(Construct scope, String id, Duration visibilityTimeout) {
    super(scope, id);
    deadLetters =
        Queue.Builder.create(this, "DeadLetters")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(Duration.days(14))
            .build();
    queue =
        Queue.Builder.create(this, "Queue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .visibilityTimeout(visibilityTimeout)
            .maxMessageSizeBytes(MAX_MESSAGE_BYTES)
            .retentionPeriod(Duration.days(4))
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetters)
                    .maxReceiveCount(MAX_RECEIVE_COUNT)
                    .build())
            .build();
  }

  public Queue queue() {
    return queue;
  }

  public Queue deadLetters() {
    return deadLetters;
  }
}
