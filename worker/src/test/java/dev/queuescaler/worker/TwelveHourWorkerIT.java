package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS's 12 hours for one receipt, through the worker's own receive loop, heartbeats and processing
 * bound: ten handlers that hang, on a queue whose visibility timeout is 12 hours and with {@code
 * WORKER_MAX_PROCESSING_SECONDS} at its maximum, 43200. The hours pass on a clock the worker and
 * SQS's rule (applied to ElasticMQ's answers, which do not keep it) share, an hour at a time with
 * the heartbeats running in between; only the worker's time source is the test's.
 */
class TwelveHourWorkerIT {

  /** Real time, moved on by the test: the worker's and SQS's alike. */
  private static final class FastForward implements InstantSource {
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    /** On to {@code when} (real time goes on from there). */
    void skipTo(Instant when) {
      ahead.set(Duration.between(Instant.now(), when));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead.get());
    }
  }

  @Test
  void hungHandlersHaveTheirExtensionsCutToTheTwelveHoursThenRunOutThenStopTheWorkerAsStuck()
      throws Exception {
    FastForward clock = new FastForward();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    CountDownLatch started = new CountDownLatch(10);
    CountDownLatch release = new CountDownLatch(1);
    MessageHandler hanging =
        message -> {
          started.countDown();
          release.await();
        };
    CompletableFuture<String> fatal = new CompletableFuture<>();
    try (LocalQueue queue = new LocalQueue();
        XRayDaemonListener xray = new XRayDaemonListener();
        FaultInjectingProxy proxy = new FaultInjectingProxy(queue.server.endpoint());
        SqsClient sqs = LocalQueue.client(proxy.endpoint())) {
      String url = queue.createWithDlq("twelve-hours-worker", 43_200, 3)[0];
      Map<String, Instant> receivedAt = new ConcurrentHashMap<>();
      proxy.rewrite(
          "ReceiveMessage",
          (request, response) -> {
            for (JsonNode message : response.path("Messages")) {
              receivedAt.put(message.path("ReceiptHandle").asText(), clock.instant());
            }
            return response;
          });
      // SQS judges an extension when the call arrives: a step of the clock the test makes while
      // the answer is on its way must not count.
      Map<JsonNode, Instant> arrivedAt = Collections.synchronizedMap(new IdentityHashMap<>());
      AtomicInteger answered = new AtomicInteger();
      proxy.fail(
          "ChangeMessageVisibilityBatch",
          request -> {
            arrivedAt.put(request, clock.instant());
            return Optional.empty();
          });
      proxy.rewrite(
          "ChangeMessageVisibilityBatch",
          (request, response) -> {
            Instant arrived = arrivedAt.remove(request);
            JsonNode answer =
                SqsTwelveHourRule.answer(
                    request,
                    response,
                    handle -> Optional.ofNullable(receivedAt.get(handle)),
                    () -> arrived);
            answered.incrementAndGet();
            return answer;
          });
      for (int i = 0; i < 10; i++) {
        queue.send(url, LocalQueue.work(1_000, false));
      }
      WorkerSettings settings =
          WorkerSettings.fromEnvironment(
              Map.of(
                  "QUEUE_URL", url,
                  "WORKER_CONCURRENCY", "1",
                  "WORKER_MAX_PROCESSING_SECONDS", "43200",
                  "WORKER_SHUTDOWN_SECONDS", "2",
                  "METRICS_ENABLED", "false"));
      QueueWorker worker =
          new QueueWorker(
              sqs,
              settings,
              hanging,
              new WorkerMetrics(new SimpleMeterRegistry(), "twelve-hours-worker"),
              WorkerTracing.xray(xray.address()),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              Duration.ofSeconds(43_200),
              clock,
              fatal::complete);
      worker.start();
      try {
        assertThat(started.await(20, TimeUnit.SECONDS)).as("all ten handlers started").isTrue();

        // Extensions are due after a third of the timeout, 4 hours: at 4 and at 8 hours, the
        // second cut to what the 12 hours leave less the call's bound (10 s) and 5 s. Each step
        // waits for the beat (every second) it is for; the 12-hour visibility outlasts every step.
        Instant first = receivedAt.values().stream().min(Instant::compareTo).orElseThrow();
        clock.skipTo(first.plus(Duration.ofHours(4)));
        LocalQueue.eventually(() -> answered.get() == 1, Duration.ofSeconds(10));
        clock.skipTo(first.plus(Duration.ofHours(8)));
        LocalQueue.eventually(() -> answered.get() == 2, Duration.ofSeconds(10));
        // 10 s short of the 12 hours: past what the second extension got, inside the bound.
        clock.skipTo(first.plus(Duration.ofHours(12)).minusSeconds(10));
        LocalQueue.eventually(
            () -> count(logs.toString(StandardCharsets.UTF_8), "\"heartbeat-expired\"") == 10,
            Duration.ofSeconds(10));
        clock.skipTo(first.plus(Duration.ofHours(12)).plusSeconds(5));
        String reason = fatal.get(10, TimeUnit.SECONDS);

        List<FaultInjectingProxy.Call> calls = proxy.calls("ChangeMessageVisibilityBatch");
        List<Integer> asked =
            calls.stream()
                .flatMap(call -> stream(call.request().path("Entries")))
                .map(entry -> entry.path("VisibilityTimeout").asInt())
                .toList();
        assertThat(asked)
            .as(
                "each message extended at 4 and at 8 hours by less than the 12 hours leave, and"
                    + " none given back: their visibility had run out")
            .hasSize(20)
            .allSatisfy(seconds -> assertThat(seconds).isBetween(1, 8 * 3600 - 1));
        assertThat(calls).allSatisfy(c -> assertThat(c.request().path("Entries")).hasSize(10));
        String written = logs.toString(StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("heartbeat-refused");
        assertThat(count(written, "\"heartbeat-expired\"")).isEqualTo(10);
        assertThat(count(written, "its visibility had run out already")).isEqualTo(10);
        assertThat(reason).contains("10 of 10 processing threads are stuck");
      } finally {
        release.countDown();
        worker.shutdown();
      }
    }
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }
}
