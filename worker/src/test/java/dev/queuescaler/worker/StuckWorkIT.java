package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Handlers that hang, against ElasticMQ: past {@code WORKER_MAX_PROCESSING_SECONDS} the message
 * goes back to SQS, the task stops counting as busy (its scale-in protection is released), the hang
 * is reported, and a worker whose every thread hangs stops so that it is replaced.
 */
class StuckWorkIT {

  private static LocalQueue queue;
  private static XRayDaemonListener xray;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Lets every hung handler return, so that no test leaves threads behind. */
  private final CountDownLatch unstick = new CountDownLatch(1);

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
    unstick.countDown();
    if (worker != null) {
      worker.stop();
    }
  }

  private String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  /** Blocks until the test ends, deaf to interrupts: a handler stuck for good. */
  private void hang() {
    while (true) {
      try {
        unstick.await();
        return;
      } catch (InterruptedException deaf) {
        // a truly hung handler does not answer interrupts either
      }
    }
  }

  @Test
  void aHandlerPastTheBoundGivesItsMessageBackStopsKeepingTheTaskProtectedAndIsReported()
      throws Exception {
    try (FakeEcsAgent agent = new FakeEcsAgent()) {
      String[] urls = queue.createWithDlq("hangs-once", 30, 3);
      AtomicInteger deliveries = new AtomicInteger();
      MessageHandler hangsTheFirstTime =
          message -> {
            if (deliveries.incrementAndGet() == 1) {
              hang();
            }
          };
      queue.send(urls[0], work(0, false));

      worker =
          LocalQueue.startWorker(
              queue.sqs,
              urls[0],
              hangsTheFirstTime,
              Map.of(
                  "WORKER_CONCURRENCY",
                  "1",
                  "WORKER_MAX_PROCESSING_SECONDS",
                  "1",
                  "ECS_AGENT_URI",
                  agent.uri()),
              registry,
              xray.address(),
              logs);

      // Given back at once (visibility 0, not its 30 s), delivered again and done there.
      eventually(() -> worker.processed() == 1, Duration.ofSeconds(10));
      eventually(
          () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(3));
      assertThat(deliveries.get()).isEqualTo(2);
      assertThat(logs()).contains("\"event\":\"processing-timed-out\"");
      assertThat(registry.get("worker.messages.timed.out").counter().count()).isEqualTo(1);
      // The first handler still hangs, yet nothing holds the task any more (once the second
      // delivery's delete has returned: its entry leaves the ledger a moment after SQS forgets it).
      eventually(() -> !worker.busy(), Duration.ofSeconds(5));
      eventually(
          () -> agent.calls().stream().anyMatch(b -> b.contains("\"ProtectionEnabled\":false")),
          Duration.ofSeconds(10));
      assertThat(worker.fatal().toCompletableFuture().isDone()).isFalse();

      unstick.countDown();
      eventually(() -> logs().contains("TIMED_OUT"), Duration.ofSeconds(5));
      assertThat(logs()).contains("\"event\":\"finished-but-not-ours\"");
    }
  }

  @Test
  void aWorkerWhoseThreadsAreAllStuckStopsToBeReplaced() throws Exception {
    String[] urls = queue.createWithDlq("all-hang", 30, 3);
    // One loop: ten processing threads, and ten messages that hang every one of them.
    for (int i = 0; i < 10; i++) {
      queue.send(urls[0], work(0, false));
    }
    AtomicInteger started = new AtomicInteger();
    MessageHandler hangs =
        message -> {
          started.incrementAndGet();
          hang();
        };

    worker =
        LocalQueue.startWorker(
            queue.sqs,
            urls[0],
            hangs,
            Map.of("WORKER_CONCURRENCY", "1", "WORKER_MAX_PROCESSING_SECONDS", "1"),
            registry,
            xray.address(),
            logs);

    String reason = worker.fatal().toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertThat(reason).contains("10 of 10 processing threads");
    assertThat(started.get()).isEqualTo(10);
    assertThat(logs()).contains("\"event\":\"all-threads-stuck\"");
  }

  @Test
  void manyMessagesPastTheBoundAtOnceAreGivenBackWithoutHoldingUpTheOthersHeartbeats()
      throws Exception {
    // Visibility 6 s: a running message is extended 2 s after its last extension, each call
    // bounded by 2 s. Sixty handlers hang past the 12 s bound at once while ten others, received
    // about 7 s later, work 11 s; SQS answers every give-back 1.8 s late (inside the bound), as
    // when it is slow.
    try (FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      String[] urls = queue.createWithDlq("many-overdue", 6, 5);
      proxy.fail(
          "ChangeMessageVisibilityBatch",
          request -> {
            if (request.path("Entries").get(0).path("VisibilityTimeout").asInt() == 0) {
              pause(1_800);
            }
            return Optional.empty();
          });
      for (int i = 0; i < 60; i++) {
        queue.send(urls[0], "hang");
      }
      AtomicInteger hung = new AtomicInteger();
      MessageHandler someHang =
          message -> {
            if (message.body().equals("hang")) {
              hung.incrementAndGet();
              hang();
            } else {
              new SimulatedWork().handle(message);
            }
          };

      // Seven loops: seventy processing threads, so the sixty stuck ones do not stop the worker.
      worker =
          LocalQueue.startWorker(
              sqs,
              urls[0],
              someHang,
              Map.of("WORKER_CONCURRENCY", "7", "WORKER_MAX_PROCESSING_SECONDS", "12"),
              registry,
              xray.address(),
              logs);
      eventually(() -> hung.get() == 60, Duration.ofSeconds(10));
      Thread.sleep(6_000);
      for (int i = 0; i < 10; i++) {
        queue.send(urls[0], work(11_000, false));
      }

      // Six give-back calls one after another held the heartbeat thread about 11 s from the
      // bound on, past the visibility of the ten messages still working.
      eventually(() -> worker.processed() == 10, Duration.ofSeconds(30));
      eventually(
          () -> LogLines.of("processing-timed-out", logs()).size() == 60, Duration.ofSeconds(15));
      assertThat(LogLines.of("heartbeat-expired", logs()))
          .as("messages whose visibility ran out while they worked")
          .isEmpty();
      assertThat(LogLines.of("finished-but-not-ours", logs())).isEmpty();
      assertThat(registry.get("worker.heartbeat.lost").counter().count()).isZero();
      assertThat(worker.fatal().toCompletableFuture().isDone()).isFalse();
      // Stopped while its client is open (the resources close before any finally).
      unstick.countDown();
      worker.stop();
      worker = null;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
