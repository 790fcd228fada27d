package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.FaultInjectingProxy.Reply;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The worker against ElasticMQ while SQS answers slowly but successfully (a proxy delays its
 * answers): a heartbeat's calls must all reach SQS within the visibility they extend, however many
 * messages the worker holds (running, or finished and kept through a delete outage), and deletes
 * merely slower than the work pause the receives without filling the log.
 */
class SlowSqsIT {

  private static LocalQueue queue;
  private static XRayDaemonListener xray;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FaultInjectingProxy proxy;
  private SqsClient proxied;
  private Worker worker;

  @BeforeAll
  static void start() {
    queue = new LocalQueue();
    xray = new XRayDaemonListener();
  }

  @AfterAll
  static void stop() {
    xray.close();
    queue.close();
  }

  @AfterEach
  void stopWorker() {
    if (worker != null) {
      worker.stop();
    }
    if (proxied != null) {
      proxied.close();
      proxy.close();
    }
  }

  private SqsClient throughProxy() {
    proxy = new FaultInjectingProxy(queue.server.endpoint());
    proxied = LocalQueue.client(proxy.endpoint());
    return proxied;
  }

  private Worker startWorker(
      SqsClient sqs, String queueUrl, MessageHandler handler, Map<String, String> extraEnv)
      throws Exception {
    worker =
        LocalQueue.startWorker(sqs, queueUrl, handler, extraEnv, registry, xray.address(), logs);
    return worker;
  }

  private String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Test
  void heartbeatCallsSqsAnswersSlowlyStillExtendEveryHeldMessageBeforeItsVisibilityRunsOut()
      throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 12 s: a message is due 4 s after its last extension, and each heartbeat call may
    // take 4 s. Sixty messages received together are due together: six calls of ten in one beat.
    String[] urls = queue.createWithDlq("heartbeat-slow", 12, 3);
    // SQS answers every heartbeat call, and applies it, but 2.5 s late: slow, well inside a call's
    // 4 s. Made one after another, the six calls take 15 s, past the 8 s a due message has left.
    heartbeatsAnsweredLate(2_500);
    for (int i = 0; i < 60; i++) {
      queue.send(urls[0], work(18_000, false));
    }
    Map<String, Integer> starts = new ConcurrentHashMap<>();
    MessageHandler counting = countingStarts(starts);

    // Ten loops, room for a hundred: a message whose visibility ran out is received again here.
    startWorker(sqs, urls[0], counting, Map.of("WORKER_CONCURRENCY", "10"));

    eventually(() -> worker.processed() >= 60, Duration.ofSeconds(40));
    assertThat(starts).as("every message's work started").hasSize(60);
    assertThat(
            starts.entrySet().stream()
                .filter(started -> started.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList())
        .as("messages whose work started again, their visibility run out while it ran here")
        .isEmpty();
    assertThat(LogLines.of("heartbeat-expired", logs())).isEmpty();
    assertThat(logs()).doesNotContain("heartbeat-refused");
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isZero();
    assertThat(
            proxy.calls("ChangeMessageVisibilityBatch").stream()
                .filter(c -> isHeartbeat(c.request())))
        .as("the sixty were heartbeated, ten a call")
        .hasSizeGreaterThanOrEqualTo(6);
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(5));
    assertThat(worker.processed()).as("each processed and deleted once").isEqualTo(60);
    assertThat(queue.visible(urls[1])).isZero();
  }

  @Test
  void heartbeatCallsSqsAnswersSlowlyStillExtendFinishedMessagesWaitingForTheirDeleteInTime()
      throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 12 s: a message is due 4 s after its last extension. One receive loop: the worker
    // runs at most ten messages at once, but holds every finished one until SQS deletes it.
    String[] urls = queue.createWithDlq("heartbeat-slow-finished", 12, 3);
    // An SQS outage of seconds: deletes fail whole (500) for 15 s, so finished messages are kept
    // and heartbeated (FinishedDeleter.RETRY_FOR): received on, all sixty would be, six calls of
    // ten in one beat on the loop's one heartbeat thread.
    AtomicBoolean deletesFail = new AtomicBoolean(true);
    proxy.fail(
        "DeleteMessageBatch",
        request ->
            deletesFail.get()
                ? Optional.of(Reply.error(500, "InternalError", "We encountered an internal error"))
                : Optional.empty());
    // Heartbeat calls are answered and applied, but 2.5 s late, as in the test above.
    heartbeatsAnsweredLate(2_500);
    for (int i = 0; i < 60; i++) {
      queue.send(urls[0], work(100, false));
    }
    Map<String, Integer> starts = new ConcurrentHashMap<>();
    MessageHandler counting = countingStarts(starts);

    startWorker(sqs, urls[0], counting, Map.of("WORKER_CONCURRENCY", "1"));

    // Received on, the last calls of ten would reach SQS 14-17 s in, past the visibility of
    // messages received in the first seconds.
    sleep(15_000);
    int startedInTheOutage = starts.size();
    deletesFail.set(false);
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(40));
    assertThat(startedInTheOutage)
        .as("started while no delete got through: twenty finished, and ten running at most")
        .isBetween(20, 30);
    assertThat(LogLines.of("receive-paused", logs())).hasSize(1);
    assertThat(starts).as("every message's work started").hasSize(60);
    assertThat(
            starts.entrySet().stream()
                .filter(started -> started.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList())
        .as("finished messages whose visibility ran out while they waited for their delete")
        .isEmpty();
    assertThat(LogLines.of("heartbeat-expired", logs())).isEmpty();
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isZero();
  }

  @Test
  void deletesSqsAnswersSlowlyButWithoutFailingDoNotFillTheLogWithReceivePausedWarnings()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("deletes-slow-not-failing", 30, 3);
    // No outage: every delete succeeds, answered in 100 ms. Work of 10 ms, four receive loops: the
    // work outruns the deletes, so finished messages reach the pause's 80 again and again.
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          sleep(100);
          return Optional.empty();
        });
    assertThat(dev.queuescaler.generator.GeneratorTestAccess.send(sqs, urls[0], 2_000, 10))
        .isEqualTo(2_000);

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "4"));

    eventually(() -> worker.processed() == 2_000, Duration.ofSeconds(90));
    assertThat(LogLines.of("receive-paused", logs()))
        .as(
            "docs/worker.md: receive-paused once, then receive-resumed; resumed "
                + LogLines.of("receive-resumed", logs()).size()
                + " times")
        .hasSizeLessThanOrEqualTo(1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SQS answers every heartbeat call, and applies it, {@code millis} late. */
  private void heartbeatsAnsweredLate(long millis) {
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (isHeartbeat(request)) {
            sleep(millis);
          }
          return Optional.empty();
        });
  }

  /** Simulated work that counts, in {@code starts}, how often each message's work started. */
  private static MessageHandler countingStarts(Map<String, Integer> starts) {
    return message -> {
      starts.merge(message.messageId(), 1, Integer::sum);
      new SimulatedWork().handle(message);
    };
  }

  private static boolean isHeartbeat(JsonNode request) {
    return request.path("Entries").get(0).path("VisibilityTimeout").asInt() > 0;
  }
}
