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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SQS keeps a received message invisible for at most 12 hours in all: "If you attempt to set the
 * VisibilityTimeout to an amount more than the maximum time left, Amazon SQS returns an error. It
 * will not automatically recalculate and increase the timeout to the maximum time remaining."
 * WORKER_MAX_PROCESSING_SECONDS goes up to 43200 (docs/worker.md: "SQS's 12-hour visibility
 * maximum"), so a message may be held that long; but each heartbeat asks for the whole visibility
 * timeout again. The one due within a visibility timeout of the 12 hours asks for more than is
 * left, SQS refuses it, and the heartbeat takes the refusal for "no longer ours": the message,
 * still this task's and still invisible, is not deleted when its work finishes, and all that work
 * runs again (with a visibility timeout of 9 h or more, every message held past a third of it).
 */
class TwelveHourVisibilityIT {

  private static final Duration TWELVE_HOURS = SqsTwelveHourRule.TWELVE_HOURS;

  @Test
  void aHeartbeatNearTheTwelveHourLimitAsksForWhatIsLeftAndKeepsTheMessageOurs() {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      // Held for 12 h less 25 s: SQS would grant 25 s, the heartbeat asks 10 (less its call timeout
      // and the margin).
      Held held =
          Held.since(
              queue, proxy, sqs, "twelve-hours", Instant.now().minus(TWELVE_HOURS).plusSeconds(25));
      // Heartbeated all along: last extended 11 s ago, due again (a third of 30 s), not expired.
      held.ledger.extended(
          List.of(held.receiptHandle()), Instant.now().minusSeconds(11), Duration.ofSeconds(30));

      held.heartbeat.beat();

      assertThat(proxy.calls("ChangeMessageVisibilityBatch"))
          .singleElement()
          .satisfies(
              call ->
                  assertThat(call.request().at("/Entries/0/VisibilityTimeout").asLong())
                      .as("25 s left, less the call timeout (10 s) and the margin (5 s)")
                      .isBetween(8L, 10L));
      assertThat(held.log())
          .as("the heartbeat asked for more than the 12 hours leave")
          .doesNotContain("heartbeat-refused");
      assertThat(held.ledger.succeeded(held.receiptHandle(), new Object()))
          .as("its work, finishing now, is still this task's to delete")
          .isEqualTo(MessageLedger.Settlement.RECORDED);
    }
  }

  @Test
  void aMessageWhoseTwelveHoursAreUsedUpIsNotExtendedAndRunsOutAtTheLimit() throws Exception {
    try (LocalQueue queue = new LocalQueue();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      // Held for 12 h less 3 s: less than the margin is left, nothing SQS would grant.
      Held held =
          Held.since(
              queue,
              proxy,
              sqs,
              "twelve-hours-used-up",
              Instant.now().minus(TWELVE_HOURS).plusSeconds(3));
      // The last heartbeat, 11 s ago, got the 13 s that were left then: it runs out in 2 s.
      held.ledger.extended(
          List.of(held.receiptHandle()), Instant.now().minusSeconds(11), Duration.ofSeconds(13));

      held.heartbeat.beat();

      assertThat(proxy.calls("ChangeMessageVisibilityBatch"))
          .as("nothing asked: 0 s would make it visible at once, more is refused")
          .isEmpty();
      assertThat(held.log()).doesNotContain("heartbeat-");

      Thread.sleep(2_500);
      held.heartbeat.beat();

      assertThat(proxy.calls("ChangeMessageVisibilityBatch")).isEmpty();
      assertThat(held.log()).contains("heartbeat-expired").contains("12 hours");
      assertThat(held.ledger.succeeded(held.receiptHandle(), new Object()))
          .as("past the limit SQS may deliver it again: not this task's to delete")
          .isEqualTo(MessageLedger.Settlement.WAS_LOST);
    }
  }

  /**
   * A message received and held as if since {@code receivedAt}, with the heartbeat that keeps it.
   */
  private record Held(
      Message message,
      MessageLedger<Object> ledger,
      VisibilityHeartbeat heartbeat,
      ByteArrayOutputStream logs) {

    /** Behind SQS's 12-hour rule, which ElasticMQ does not keep: more than is left is refused. */
    static Held since(
        LocalQueue queue,
        FaultInjectingProxy proxy,
        SqsClient sqs,
        String name,
        Instant receivedAt) {
      String url = queue.createWithDlq(name, 30, 3)[0];
      queue.send(url, LocalQueue.work(1_000, false));
      Message message =
          sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages().get(0);
      proxy.rewrite(
          "ChangeMessageVisibilityBatch",
          (request, response) ->
              SqsTwelveHourRule.answer(request, response, handle -> Optional.of(receivedAt)));
      MessageLedger<Object> ledger = new MessageLedger<>();
      ledger.hold(message.receiptHandle(), message.messageId(), receivedAt);
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      VisibilityHeartbeat heartbeat =
          new VisibilityHeartbeat(
              ledger,
              new SqsBatches(sqs, url),
              Duration.ofSeconds(30),
              Runnable::run,
              new WorkerMetrics(new SimpleMeterRegistry(), name),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              InstantSource.system(),
              error -> {});
      return new Held(message, ledger, heartbeat, logs);
    }

    String receiptHandle() {
      return message.receiptHandle();
    }

    String log() {
      return logs.toString(StandardCharsets.UTF_8);
    }
  }
}
