package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * MessageLedger.overdue counts a LOST message whose handler still runs as stuck. A message whose
 * handler has finished and whose delete call is under way (DELETING) is still heartbeated; once SQS
 * has applied that delete, and before its answer is back, the heartbeat is refused and the message
 * becomes LOST. Its handler returned long ago: it is no stuck thread, so it is not timed out nor
 * counted among the stuck.
 */
class FinishedNotStuckIT {

  @Test
  void aMessageWhoseDeleteIsUnderWayIsNotCountedAsAStuckHandlerWhenItsHeartbeatIsRefused()
      throws Exception {
    try (LocalQueue queue = new LocalQueue()) {
      String url = queue.createWithDlq("finished-not-stuck", 30, 3)[0];
      queue.send(url, LocalQueue.work(1_000, false));
      Message message =
          queue.sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages().get(0);
      Duration bound = Duration.ofSeconds(60);
      Instant now = Instant.now();
      MessageLedger<Object> ledger = new MessageLedger<>();
      // Received 61 s ago, last extended 11 s ago; its handler has just returned.
      ledger.hold(message.receiptHandle(), message.messageId(), now.minusSeconds(61));
      ledger.extended(
          List.of(message.receiptHandle()), now.minusSeconds(11), Duration.ofSeconds(30));
      ledger.succeeded(message.receiptHandle(), new Object());
      // The delete loop takes it; its call reaches SQS, whose answer is still on its way.
      assertThat(ledger.takeFinished(SqsBatches.MAX_ENTRIES)).hasSize(1);
      queue.sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(queue.sqs, url),
              Duration.ofSeconds(30),
              Runnable::run,
              new WorkerMetrics(new SimpleMeterRegistry(), "finished-not-stuck"),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              InstantSource.system(),
              error -> {});

      heartbeat.beat();
      // The processing bound runs next on the heartbeat thread (QueueWorker.giveUpOverdue).
      List<MessageLedger.Overdue> overdue = ledger.overdue(Instant.now(), bound);

      assertThat(logs.toString(StandardCharsets.UTF_8)).contains("heartbeat-refused");
      assertThat(overdue).as("its handler returned: nothing is stuck").isEmpty();
      assertThat(ledger.count(MessageLedger.State.TIMED_OUT)).isZero();
    }
  }
}
