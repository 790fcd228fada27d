package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Near SQS's 12-hour limit SQS applies an extension when the call reaches it: after the SDK's
 * retries of that call (a heartbeat call may take up to 10 s, its retries included), and after the
 * calls the same beat made before it. Each near-limit call asks, as it starts, for what will still
 * be left then (less its call timeout and a margin), so neither a slow retry nor a later call of
 * the beat asks for more than is left: no refusal is taken for "no longer ours" while the message
 * is still this task's.
 */
class TwelveHourMarginIT {

  private static final Duration TWELVE_HOURS = SqsTwelveHourRule.TWELVE_HOURS;

  /** The worker's client as WorkerMain builds it: standard retries. */
  private static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  @Test
  void aHeartbeatNearTheLimitWhoseFirstAttemptFailsSlowlyIsNotTakenForALostMessage()
      throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = client(proxy.endpoint())) {
      String url = queue.createWithDlq("twelve-hours-slow-retry", 30, 3)[0];
      queue.send(url, LocalQueue.work(1_000, false));
      Message message =
          sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages().get(0);
      // 20 s of the 12 hours are left; the extension 11 s ago (30 s) keeps it invisible 19 s more.
      Instant receivedAt = Instant.now().minus(TWELVE_HOURS).plusSeconds(20);
      proxy.rewrite(
          "ChangeMessageVisibilityBatch",
          (request, response) ->
              SqsTwelveHourRule.answer(request, response, handle -> Optional.of(receivedAt)));
      // The first attempt takes 7 s and fails with a 500 (within the call's 10 s); the SDK retries.
      AtomicInteger attempts = new AtomicInteger();
      proxy.fail(
          "ChangeMessageVisibilityBatch",
          request -> {
            if (attempts.getAndIncrement() > 0) {
              return Optional.empty();
            }
            sleep(Duration.ofSeconds(7));
            return Optional.of(
                FaultInjectingProxy.Reply.sqsError(
                    500, "InternalError", "InternalError", "We encountered an internal error"));
          });
      MessageLedger<Object> ledger = new MessageLedger<>();
      ledger.hold(message.receiptHandle(), message.messageId(), receivedAt);
      ledger.extended(
          List.of(message.receiptHandle()), Instant.now().minusSeconds(11), Duration.ofSeconds(30));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat = heartbeat(ledger, sqs, url, logs);

      heartbeat.beat();

      assertThat(attempts.get()).as("the SDK retried the failed attempt").isGreaterThan(1);
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .as("the retry, seconds after the beat began, asked for more than the 12 hours leave")
          .doesNotContain("heartbeat-refused");
      assertThat(ledger.succeeded(message.receiptHandle(), new Object()))
          .as("still invisible from the extension before: this task's to delete")
          .isEqualTo(MessageLedger.Settlement.RECORDED);
    }
  }

  @Test
  void twoGrantsOfOneBeatGoInOneCallEachAskingForWhatWillBeLeft() throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = client(proxy.endpoint())) {
      String url = queue.createWithDlq("twelve-hours-two-grants", 30, 3)[0];
      queue.send(url, LocalQueue.work(1_000, false));
      queue.send(url, LocalQueue.work(1_000, false));
      List<Message> messages =
          sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(5))
              .messages();
      Message first = messages.get(0);
      Message second =
          messages.size() > 1
              ? messages.get(1)
              : sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages().get(0);
      // Two receives 8 s apart: 17 s and 25 s of their 12 hours are left, so about 2 s and 10 s
      // asked (less the call timeout, 10 s, and the margin, 5 s).
      Instant now = Instant.now();
      Map<String, Instant> receivedAt =
          Map.of(
              first.receiptHandle(), now.minus(TWELVE_HOURS).plusSeconds(17),
              second.receiptHandle(), now.minus(TWELVE_HOURS).plusSeconds(25));
      // SQS applies the call at once; its answer takes 6 s to come back.
      AtomicInteger calls = new AtomicInteger();
      proxy.rewrite(
          "ChangeMessageVisibilityBatch",
          (request, response) -> {
            JsonNode answer =
                SqsTwelveHourRule.answer(
                    request, response, handle -> Optional.ofNullable(receivedAt.get(handle)));
            if (calls.getAndIncrement() == 0) {
              sleep(Duration.ofSeconds(6));
            }
            return answer;
          });
      MessageLedger<Object> ledger = new MessageLedger<>();
      ledger.hold(first.receiptHandle(), first.messageId(), receivedAt.get(first.receiptHandle()));
      ledger.hold(
          second.receiptHandle(), second.messageId(), receivedAt.get(second.receiptHandle()));
      // Both extended 11 s ago by the whole 30 s: invisible 19 s more, due again now.
      ledger.extended(
          List.of(first.receiptHandle(), second.receiptHandle()),
          now.minusSeconds(11),
          Duration.ofSeconds(30));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat = heartbeat(ledger, sqs, url, logs);

      heartbeat.beat();

      assertThat(calls.get()).as("both grants in one call").isEqualTo(1);
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .as("an entry asked for more than the 12 hours leave")
          .doesNotContain("heartbeat-refused");
      assertThat(ledger.succeeded(second.receiptHandle(), new Object()))
          .as("still invisible from the extension before: this task's to delete")
          .isEqualTo(MessageLedger.Settlement.RECORDED);
    }
  }

  private static VisibilityHeartbeat heartbeat(
      MessageLedger<Object> ledger, SqsClient sqs, String url, ByteArrayOutputStream logs) {
    return new VisibilityHeartbeat(
        ledger,
        new SqsBatches(sqs, url),
        Duration.ofSeconds(30),
        Runnable::run,
        new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-margin"),
        new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
        InstantSource.system(),
        error -> {});
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
