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
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * WORKER_MAX_PROCESSING_SECONDS goes up to 43200. A handler that hangs is given up at that bound
 * (TIMED_OUT), and when every processing thread holds such a message the worker ends ({@code
 * all-threads-stuck}: QueueWorker counts TIMED_OUT messages). The heartbeat lets a message's
 * visibility run out a little before the 12 hours ({@code heartbeat-expired}, LOST), so with the
 * bound near 43200 a hung handler's message is LOST first: it is timed out and counted as stuck all
 * the same, with nothing to give back.
 */
class TwelveHourStuckIT {

  @Test
  void aHandlerStillRunningPastAProcessingBoundOfTwelveHoursIsTimedOutAndCountedAsStuck()
      throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      String url = queue.createWithDlq("twelve-hours-stuck", 30, 3)[0];
      queue.send(url, LocalQueue.work(1_000, false));
      Message message =
          sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages().get(0);
      // Held for 12 h less 3 s; the last heartbeat, 11 s ago, got the 13 s that were left then.
      Instant receivedAt = Instant.now().minus(Duration.ofHours(12)).plusSeconds(3);
      MessageLedger<Object> ledger = new MessageLedger<>();
      ledger.hold(message.receiptHandle(), message.messageId(), receivedAt);
      ledger.extended(
          List.of(message.receiptHandle()), Instant.now().minusSeconds(11), Duration.ofSeconds(13));
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(sqs, url),
              Duration.ofSeconds(30),
              Runnable::run,
              new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-stuck"),
              new JsonLog(
                  new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
              InstantSource.system(),
              error -> {});
      Duration bound = Duration.ofSeconds(43_200); // WORKER_MAX_PROCESSING_SECONDS at its maximum

      // The beats and the processing bound run on the heartbeat thread, every second or so.
      Instant pastTheBound = receivedAt.plus(bound).plusMillis(500);
      while (Instant.now().isBefore(pastTheBound)) {
        heartbeat.beat();
        ledger.overdue(Instant.now(), bound);
        Thread.sleep(250);
      }
      heartbeat.beat();
      List<MessageLedger.Overdue> overdue = ledger.overdue(Instant.now(), bound);

      assertThat(ledger.count(MessageLedger.State.TIMED_OUT) + overdue.size())
          .as(
              "its handler still runs past WORKER_MAX_PROCESSING_SECONDS=43200: timed out and"
                  + " counted among the stuck threads (it is %s)",
              ledger.idsIn(MessageLedger.State.LOST).isEmpty() ? "not lost" : "LOST")
          .isEqualTo(1);
    }
  }
}
