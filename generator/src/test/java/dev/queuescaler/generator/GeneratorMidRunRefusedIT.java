package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * "Never reached SQS" is said only when no call could have: an endpoint that goes away while the
 * first calls are in flight (SQS applied them, their answers were lost with the connection), then
 * refuses connections, must not be reported as never reached with "0 of 500 sent".
 */
class GeneratorMidRunRefusedIT {

  @Test
  void anEndpointLostWhileTheFirstAppliedCallsAreInFlightIsNotReportedAsNeverReachingSqs() {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-lost-endpoint")).queueUrl();
      FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint());
      AtomicInteger calls = new AtomicInteger();
      // The fifth call is applied; then the endpoint goes away (connections refused from then).
      proxy.rewrite(
          "SendMessageBatch",
          (request, response) -> {
            if (calls.incrementAndGet() == 5) {
              new Thread(proxy::close).start();
            }
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
                            queueUrl, 500, Optional.empty(), 256, 0, 0, Optional.of(1L))));
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
      assertThat(onQueue).as("SQS applied the first calls").isPositive();
      assertThat(stopped == null ? "" : stopped.getMessage())
          .as("%d messages are on the queue", onQueue)
          .doesNotContain("never reached SQS")
          .doesNotContain("0 of 500 sent");
    }
  }
}
