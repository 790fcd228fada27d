package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * "Never reached SQS" is said only when no call could have. The SDK retries a call whose answer was
 * lost on its own: when SQS applied the call's first attempt, its answer was lost with the
 * connection and the endpoint then refuses connections, the SDK's last attempt (connection refused)
 * is the exception the sender sees, but the call did reach SQS: the 10 messages are on the queue.
 */
class GeneratorRetriedIntoRefusalIT {

  @Test
  void aCallAppliedOnItsFirstAttemptAndRefusedOnTheSdksRetryIsNotReportedAsNeverReachingSqs() {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-retried-refused")).queueUrl();
      FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint());
      // SQS applies the first call; the endpoint goes away before its answer is sent.
      proxy.rewrite(
          "SendMessageBatch",
          (request, response) -> {
            proxy.close();
            return response;
          });
      Throwable stopped;
      try (Generator generator =
          new Generator(
              GeneratorIT.client(proxy.endpoint()),
              GeneratorTracing.xray("127.0.0.1:2000"),
              Clock.systemUTC())) {
        stopped =
            catchThrowable(
                () ->
                    generator.generate(
                        new GenerateRequest(
                            queueUrl, 10, Optional.empty(), 256, 0, 0, Optional.of(1L))));
      }

      long onQueue =
          Long.parseLong(
              direct
                  .getQueueAttributes(
                      r ->
                          r.queueUrl(queueUrl)
                              .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                  .attributes()
                  .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
      assertThat(onQueue).as("SQS applied the call").isEqualTo(10);
      assertThat(stopped == null ? "" : stopped.getMessage())
          .as("%d messages are on the queue", onQueue)
          .doesNotContain("never reached SQS");
    }
  }
}
