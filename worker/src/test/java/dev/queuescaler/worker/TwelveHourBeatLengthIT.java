package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.FaultInjectingProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One thread makes every heartbeat call, and each call may take a third of the visibility timeout
 * (10 s here) so that "a hung call leaves room for the next ones". Near SQS's 12-hour limit each
 * message gets a call of its own, one after the other, in the same beat: three near-limit calls
 * that SQS does not answer take the beat past the whole visibility timeout, and an ordinary message
 * extended at the start of that beat runs out before the next beat extends it again.
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
      Set<String> nearHandles = Set.copyOf(nearLimit.stream().map(Message::receiptHandle).toList());
      // SQS answers the ordinary message's call at once, and none of the near-limit ones within
      // the call's 10 s.
      AtomicInteger slowCalls = new AtomicInteger();
      proxy.fail(
          "ChangeMessageVisibilityBatch",
          request -> {
            boolean near = false;
            for (var entry : request.path("Entries")) {
              near |= nearHandles.contains(entry.path("ReceiptHandle").asText());
            }
            if (near) {
              slowCalls.incrementAndGet();
              sleep(Duration.ofSeconds(11));
            }
            return Optional.empty();
          });
      Instant now = Instant.now();
      MessageLedger<Object> ledger = new MessageLedger<>();
      // Received 11 s ago and not extended since: due now (a third of 30 s), 19 s left.
      ledger.hold(ordinary.receiptHandle(), ordinary.messageId(), now.minusSeconds(11));
      // Held 12 h less 44 s, last extended 11 s ago by the whole 30 s: each asks 29 s, 19 s, 9 s.
      Instant nearLimitSince = now.minus(Duration.ofHours(12)).plusSeconds(44);
      for (Message message : nearLimit) {
        ledger.hold(message.receiptHandle(), message.messageId(), nearLimitSince);
      }
      ledger.extended(
          nearLimit.stream().map(Message::receiptHandle).toList(), now.minusSeconds(11));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(sqs, url),
              Duration.ofSeconds(30),
              new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-beat-length"),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              error -> {});

      // The heartbeat thread: a beat, then the next one a period later.
      heartbeat.beat();
      Thread.sleep(heartbeat.period().toMillis());
      heartbeat.beat();

      assertThat(slowCalls.get()).as("one call per near-limit message").isEqualTo(3);
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .as("the ordinary message, heartbeated all along, ran out between two beats")
          .doesNotContain(ordinary.messageId());
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
