package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Each heartbeat call may take a third of the visibility timeout (10 s here) so that a hung call
 * leaves room for the next ones, and a beat's calls beyond the worker's threads wait for one.
 * Messages near SQS's 12-hour limit must not add calls to a beat (a call of their own each, made
 * one after the other, could take the beat past the whole visibility timeout while SQS is slow, and
 * an ordinary message extended at its start would run out): they go in the same calls of ten as
 * every other message, each entry with its own visibility timeout.
 */
class TwelveHourBeatLengthIT {

  @Test
  void slowNearLimitCallsDoNotLetAnOrdinaryMessageOfTheSameBeatRunOut() throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      String url = queue.createWithDlq("twelve-hours-beat-length", 30, 3)[0];
      for (int i = 0; i < 4; i++) {
        queue.send(url, LocalQueue.work(1_000, false));
      }
      List<Message> received = new ArrayList<>();
      while (received.size() < 4) {
        received.addAll(
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                .messages());
      }
      Message ordinary = received.get(0);
      List<Message> nearLimit = received.subList(1, 4);
      Instant now = Instant.now();
      MessageLedger<Object> ledger = new MessageLedger<>();
      // Received 11 s ago and not extended since: due now (a third of 30 s), 19 s left.
      ledger.hold(ordinary.receiptHandle(), ordinary.messageId(), now.minusSeconds(11));
      // Held 12 h less 44 s, last extended 11 s ago by the whole 30 s: due, each asks about 29 s.
      Instant nearLimitSince = now.minus(Duration.ofHours(12)).plusSeconds(44);
      for (Message message : nearLimit) {
        ledger.hold(message.receiptHandle(), message.messageId(), nearLimitSince);
      }
      ledger.extended(
          nearLimit.stream().map(Message::receiptHandle).toList(),
          now.minusSeconds(11),
          Duration.ofSeconds(30));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(sqs, url),
              Duration.ofSeconds(30),
              Runnable::run,
              new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-beat-length"),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              InstantSource.system(),
              error -> {});

      heartbeat.beat();

      assertThat(proxy.calls("ChangeMessageVisibilityBatch"))
          .as("one call for the four messages")
          .singleElement()
          .satisfies(
              call -> {
                java.util.Map<String, Long> asked = new java.util.HashMap<>();
                call.request()
                    .path("Entries")
                    .forEach(
                        entry ->
                            asked.put(
                                entry.path("ReceiptHandle").asText(),
                                entry.path("VisibilityTimeout").asLong()));
                assertThat(asked).containsEntry(ordinary.receiptHandle(), 30L).hasSize(4);
                nearLimit.forEach(
                    message ->
                        assertThat(asked.get(message.receiptHandle()))
                            .as("44 s left less the call timeout (10 s) and the margin (5 s)")
                            .isBetween(27L, 29L));
              });
      assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("heartbeat-");
      assertThat(ledger.succeeded(ordinary.receiptHandle(), new Object()))
          .as("its work, finishing now, is still this task's to delete")
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
