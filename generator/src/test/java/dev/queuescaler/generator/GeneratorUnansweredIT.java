package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The generator stops a sending as "never reached SQS" only when a batch's attempts all failed
 * before any request could leave (no credentials, no connection) while no call had an answer yet.
 * An attempt without an answer is not one that never reached SQS: a call that times out (the CLI's
 * client gives an attempt 5 s, a call 20 s) may have been applied, and a reset may pass.
 */
class GeneratorUnansweredIT {

  /** As {@link Generator#fromStandardSettings} builds it, its timeouts a fifth as long. */
  private static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
        .overrideConfiguration(
            o ->
                o.apiCallAttemptTimeout(Duration.ofSeconds(1))
                    .apiCallTimeout(Duration.ofSeconds(4))
                    .retryStrategy(RetryMode.STANDARD))
        .build();
  }

  private static long visible(SqsClient sqs, String queueUrl) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  @Test
  void aSendingWhoseCallsSqsAppliedButAnsweredTooLateIsNotReportedAsNeverReachingSqs() {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint());
        FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-late-answers")).queueUrl();
      // SQS applies every call; its answers come back after the attempt's timeout.
      proxy.rewrite(
          "SendMessageBatch",
          (request, response) -> {
            sleep(Duration.ofMillis(1_500));
            return response;
          });
      Throwable stopped = sendingStopped(client(proxy.endpoint()), queueUrl, 10);

      long onQueue = visible(direct, queueUrl);
      assertThat(onQueue).as("SQS applied the calls").isGreaterThanOrEqualTo(10);
      assertThat(stopped == null ? "" : stopped.getMessage())
          .as("%d messages are on the queue", onQueue)
          .doesNotContain("never reached SQS")
          .doesNotContain("0 of 10 sent");
    }
  }

  /**
   * A network blip of two seconds as a long sending begins (connections reset before SQS sees a
   * request) fails the first batches' three attempts, SDK retries and all, within about a second,
   * before anything has answered: those batches are counted as failed, and the sending goes on.
   */
  @Test
  void aBlipOfTwoSecondsAtTheStartDoesNotStopASendingOfAThousandMessages() {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint());
        FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-start-blip")).queueUrl();
      java.util.concurrent.atomic.AtomicReference<java.time.Instant> blipEnds =
          new java.util.concurrent.atomic.AtomicReference<>();
      // The connection is closed without an answer (the handler fails before forwarding).
      proxy.fail(
          "SendMessageBatch",
          request -> {
            blipEnds.compareAndSet(null, java.time.Instant.now().plusSeconds(2));
            if (java.time.Instant.now().isBefore(blipEnds.get())) {
              throw new IllegalStateException("connection reset");
            }
            return Optional.empty();
          });
      SendSummary summary = null;
      Throwable stopped;
      try (Generator generator =
          new Generator(
              client(proxy.endpoint()),
              GeneratorTracing.xray("127.0.0.1:2000"),
              Clock.systemUTC())) {
        java.util.concurrent.atomic.AtomicReference<SendSummary> result =
            new java.util.concurrent.atomic.AtomicReference<>();
        stopped =
            catchThrowable(
                () ->
                    result.set(
                        generator.generate(
                            new GenerateRequest(
                                queueUrl, 1_000, Optional.empty(), 256, 0, 0, Optional.of(1L)))));
        summary = result.get();
      }

      assertThat(stopped).as("the sending was stopped").isNull();
      // The batches whose three attempts all fell in the blip are counted, with the reason.
      assertThat(summary.sent() + summary.failed()).isEqualTo(1_000);
      assertThat(summary.sent()).as("the batches after the blip").isPositive();
      assertThat(summary.failureLine().orElse("none")).isNotEqualTo("none");
    }
  }

  /** An endpoint that refuses every connection, each of the SDK's attempts alike: none left. */
  @Test
  void aSendingToAnEndpointThatRefusesEveryConnectionStopsSayingItNeverReachedSqs()
      throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String queueUrl = "http://127.0.0.1:" + closedPort + "/000000000000/gen-refused";
    Throwable stopped =
        sendingStopped(client(URI.create("http://127.0.0.1:" + closedPort)), queueUrl, 1_000);

    assertThat(stopped)
        .isInstanceOf(SendRefused.class)
        .hasMessageContaining("never reached SQS")
        .hasMessageContaining("0 of 1000 sent, the rest not");
  }

  /**
   * The SDK retries a call whose answer was lost on its own: when SQS applied the call's first
   * attempt, its answer was lost with the connection and the endpoint then refuses connections, the
   * SDK's last attempt (connection refused) is the exception the sender sees, but the call did
   * reach SQS.
   */
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

      Throwable stopped = sendingStopped(GeneratorIT.client(proxy.endpoint()), queueUrl, 10);

      long onQueue = visible(direct, queueUrl);
      assertThat(onQueue).as("SQS applied the call").isEqualTo(10);
      assertThat(stopped == null ? "" : stopped.getMessage())
          .as("%d messages are on the queue", onQueue)
          .doesNotContain("never reached SQS");
    }
  }

  /**
   * An endpoint that goes away while the first calls are in flight (SQS applied them, their answers
   * were lost with the connection), then refuses connections, was reached: not "0 of 500 sent".
   */
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

      Throwable stopped = sendingStopped(GeneratorIT.client(proxy.endpoint()), queueUrl, 500);

      long onQueue = visible(direct, queueUrl);
      assertThat(onQueue).as("SQS applied the first calls").isPositive();
      assertThat(stopped == null ? "" : stopped.getMessage())
          .as("%d messages are on the queue", onQueue)
          .doesNotContain("never reached SQS")
          .doesNotContain("0 of 500 sent");
    }
  }

  /** Sends {@code count} messages through {@code client}: what stopped the sending, if anything. */
  private static Throwable sendingStopped(SqsClient client, String queueUrl, int count) {
    try (Generator generator =
        new Generator(client, GeneratorTracing.xray("127.0.0.1:2000"), Clock.systemUTC())) {
      return catchThrowable(
          () ->
              generator.generate(
                  new GenerateRequest(
                      queueUrl, count, Optional.empty(), 256, 0, 0, Optional.of(1L))));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
