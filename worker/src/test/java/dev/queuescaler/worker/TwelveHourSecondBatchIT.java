package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A call takes ten entries: with eleven due, the eleventh goes in a second call. A beat's calls go
 * out at once while the worker has threads for them; one beyond those waits for a thread, here made
 * after the first call's answer (the calls one after another, on the test's thread). Near the
 * 12-hour limit that call may reach SQS seconds after the beat began (the first call slow, its own
 * first attempt failing slowly, as TwelveHourMarginIT has it), so it works out its entries' grants
 * as it starts: SQS refuses none, and no message still invisible and this task's is taken for lost.
 */
class TwelveHourSecondBatchIT {

  private static final Duration TWELVE_HOURS = SqsTwelveHourRule.TWELVE_HOURS;

  @Test
  void theEleventhWholeGrantOfABeatIsNotRefusedForAskingMoreThanIsLeftWhenItsCallIsMade()
      throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build()) {
      String url = queue.createWithDlq("twelve-hours-second-batch", 30, 3)[0];
      for (int i = 0; i < 11; i++) {
        queue.send(url, LocalQueue.work(1_000, false));
      }
      List<Message> received = new ArrayList<>();
      while (received.size() < 11) {
        received.addAll(
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                .messages());
      }
      Instant now = Instant.now();
      Message late = received.get(10);
      // Held 12 h less 45.5 s: 30.5 s left after the call timeout and the margin, the whole 30 s.
      Instant lateSince = now.minus(TWELVE_HOURS).plusMillis(45_500);
      proxy.rewrite(
          "ChangeMessageVisibilityBatch",
          (request, response) ->
              SqsTwelveHourRule.answer(
                  request,
                  response,
                  handle ->
                      handle.equals(late.receiptHandle())
                          ? Optional.of(lateSince)
                          : Optional.empty()));
      // The first call takes 9 s; the second call's first attempt fails after 7 s, its retry
      // passes.
      AtomicBoolean failedOnce = new AtomicBoolean();
      proxy.fail(
          "ChangeMessageVisibilityBatch",
          request -> {
            boolean hasLate = false;
            for (JsonNode entry : request.path("Entries")) {
              hasLate |= entry.path("ReceiptHandle").asText().equals(late.receiptHandle());
            }
            if (!hasLate) {
              sleep(Duration.ofSeconds(9));
              return Optional.empty();
            }
            if (failedOnce.compareAndSet(false, true)) {
              sleep(Duration.ofSeconds(7));
              return Optional.of(
                  FaultInjectingProxy.Reply.sqsError(
                      500, "InternalError", "InternalError", "We encountered an internal error"));
            }
            return Optional.empty();
          });
      MessageLedger<Object> ledger = new MessageLedger<>();
      for (int i = 0; i < 10; i++) {
        ledger.hold(
            received.get(i).receiptHandle(), received.get(i).messageId(), now.minusSeconds(11));
      }
      ledger.hold(late.receiptHandle(), late.messageId(), lateSince);
      // All extended 11 s ago by the whole 30 s: due again now, 19 s left.
      ledger.extended(
          received.stream().map(Message::receiptHandle).toList(),
          now.minusSeconds(11),
          Duration.ofSeconds(30));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(sqs, url),
              Duration.ofSeconds(30),
              Runnable::run,
              new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-second-batch"),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              InstantSource.system(),
              error -> {});

      heartbeat.beat();

      assertThat(failedOnce.get()).as("the second call's first attempt failed").isTrue();
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .as("the second call asked for what was left when the beat began")
          .doesNotContain("heartbeat-refused");
      assertThat(ledger.succeeded(late.receiptHandle(), new Object()))
          .as("still invisible from the extension before: this task's to delete")
          .isEqualTo(MessageLedger.Settlement.RECORDED);
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
