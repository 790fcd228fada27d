package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The checks queue's messages, against ElasticMQ: each delayed until its check is due. */
class SqsIdleCheckTriggerIT {

  @Test
  void eachCheckArrivesWhenItIsDueAndReadsBackAsSent() {
    try (LocalAws aws = LocalAws.withFakes()) {
      String checksQueue = aws.createQueue("checks");
      Instant invoked = Instant.parse("2026-11-27T12:00:00Z");
      List<IdleCheck> checks =
          List.of(15, 30, 45).stream()
              .map(
                  offset ->
                      new IdleCheck(
                          invoked,
                          Duration.ofSeconds(offset),
                          List.of(
                              new IdleCheck.Target(
                                  new TargetName("orders"),
                                  "http://localhost/1/orders",
                                  BacklogRules.DEFAULTS))))
              .toList();

      // Sent 29.5 s in: the check at 15 s is late, the one at 30 s due in half a second.
      new SqsIdleCheckTrigger(aws.sqs, checksQueue).send(checks, invoked.plusMillis(29_500));

      Map<QueueAttributeName, String> counts =
          aws.sqs
              .getQueueAttributes(
                  a ->
                      a.queueUrl(checksQueue)
                          .attributeNames(
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
              .attributes();
      assertThat(counts)
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "1")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "2");
      List<Message> due =
          aws.sqs.receiveMessage(r -> r.queueUrl(checksQueue).maxNumberOfMessages(10)).messages();
      assertThat(due)
          .singleElement()
          .satisfies(m -> assertThat(IdleCheckMessages.decode(m.body())).isEqualTo(checks.get(0)));
    }
  }

  @Test
  void moreChecksThanOneCallTakesGoInSeveralCalls() {
    try (LocalAws aws = LocalAws.withFakes()) {
      String checksQueue = aws.createQueue("many-checks");
      Instant invoked = Instant.parse("2026-11-27T12:00:00Z");
      // 25 checks of 500 targets each: three calls by count, more by size.
      List<IdleCheck.Target> targets = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        targets.add(
            new IdleCheck.Target(
                new TargetName("t" + i),
                "http://localhost/1/queue-of-target-" + i,
                BacklogRules.DEFAULTS));
      }
      List<IdleCheck> checks =
          java.util.stream.IntStream.range(0, 25)
              .mapToObj(i -> new IdleCheck(invoked, Duration.ofSeconds(15), targets))
              .toList();

      new SqsIdleCheckTrigger(aws.sqs, checksQueue).send(checks, invoked.plusSeconds(20));

      assertThat(
              aws.sqs
                  .getQueueAttributes(
                      a ->
                          a.queueUrl(checksQueue)
                              .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                  .attributes())
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "25");
    }
  }

  @Test
  void aCheckIsNeverDelayedLessThanItsTimeLeft() {
    Instant due = Instant.parse("2026-11-27T12:00:15Z");

    assertThat(SqsIdleCheckTrigger.delaySeconds(due, due.minusMillis(14_001))).isEqualTo(15);
    assertThat(SqsIdleCheckTrigger.delaySeconds(due, due.minusSeconds(15))).isEqualTo(15);
    assertThat(SqsIdleCheckTrigger.delaySeconds(due, due.plusSeconds(1))).isZero();
  }
}
