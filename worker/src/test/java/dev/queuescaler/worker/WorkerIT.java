package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.generator.GeneratorTestAccess;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/** The worker in-process against ElasticMQ: throughput path, failures, tracing, protection. */
class WorkerIT {

  private static LocalQueue queue;
  private static XRayDaemonListener xray;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
  }

  private Worker startWorker(String queueUrl, Map<String, String> extraEnv) throws Exception {
    return startWorker(queueUrl, extraEnv, new SimulatedWork());
  }

  private Worker startWorker(String queueUrl, Map<String, String> extraEnv, MessageHandler handler)
      throws Exception {
    worker =
        LocalQueue.startWorker(
            queue.sqs, queueUrl, handler, extraEnv, registry, xray.address(), logs);
    return worker;
  }

  private String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Test
  void processesAndDeletesEveryMessageTheGeneratorSent() throws Exception {
    String[] urls = queue.createWithDlq("e2e", 30, 3);
    long sent = GeneratorTestAccess.send(queue.sqs, urls[0], 300, 5);
    assertThat(sent).isEqualTo(300);

    startWorker(urls[0], Map.of("WORKER_CONCURRENCY", "4"));
    eventually(() -> worker.processed() == 300, Duration.ofSeconds(30));
    eventually(() -> queue.inFlight(urls[0]) == 0, Duration.ofSeconds(10));

    assertThat(queue.visible(urls[0])).isZero();
    assertThat(queue.visible(urls[1])).isZero();
    assertThat(worker.failed()).isZero();
    assertThat(registry.get("worker.messages.processed").tag("queue", "e2e").counter().count())
        .isEqualTo(300);
    assertThat(registry.get("worker.message.age").timer().count()).isEqualTo(300);
    assertThat(registry.get("worker.processing.time").timer().count()).isEqualTo(300);
    assertThat(registry.get("worker.messages.in.progress").gauge().value()).isZero();
    assertThat(logs()).contains("\"event\":\"start\"").contains("\"concurrency\":4");
  }

  @Test
  void failingMessagesReachTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
    String[] urls = queue.createWithDlq("failing", 1, 2);
    for (int i = 0; i < 4; i++) {
      queue.send(urls[0], work(0, true));
    }
    queue.send(urls[0], work(0, false));

    startWorker(urls[0], Map.of());
    eventually(() -> queue.visible(urls[1]) == 4, Duration.ofSeconds(30));

    assertThat(worker.processed()).isEqualTo(1);
    assertThat(worker.failed()).isGreaterThanOrEqualTo(8);
    assertThat(logs()).contains("\"event\":\"message-failed\"").contains("asked to fail");
  }

  @Test
  void aBadBodyIsAFailureWithAClearLogLineNotACrash() throws Exception {
    String[] urls = queue.createWithDlq("bad-bodies", 1, 1);
    queue.send(urls[0], "this is not json");
    queue.send(urls[0], "{\"id\":\"x\",\"fail\":false,\"payload\":\"\"}");
    queue.send(urls[0], work(0, false));

    startWorker(urls[0], Map.of());
    eventually(() -> queue.visible(urls[1]) == 2, Duration.ofSeconds(30));

    assertThat(worker.processed()).isEqualTo(1);
    assertThat(logs())
        .contains("body is not JSON")
        .contains("\\\"workMillis\\\" must be an integer >= 0");
  }

  @Test
  void longWorkKeepsItsMessageInvisibleWithHeartbeats() throws Exception {
    String[] urls = queue.createWithDlq("slow", 6, 5);
    queue.send(urls[0], work(12_000, false));
    java.util.concurrent.atomic.AtomicInteger deliveries =
        new java.util.concurrent.atomic.AtomicInteger();
    SimulatedWork work = new SimulatedWork();

    startWorker(
        urls[0],
        Map.of(),
        message -> {
          deliveries.incrementAndGet();
          work.handle(message);
        });
    eventually(() -> worker.processed() == 1, Duration.ofSeconds(30));
    eventually(() -> queue.inFlight(urls[0]) == 0, Duration.ofSeconds(3));

    // With a 6 s visibility timeout and 12 s of work, only heartbeats kept it from coming back:
    // without them SQS would have handed it out again while the first delivery still worked.
    assertThat(deliveries).as("delivered once, never again while it ran").hasValue(1);
    assertThat(worker.failed()).isZero();
    assertThat(queue.visible(urls[0]) + queue.inFlight(urls[0])).isZero();
  }

  @Test
  void continuesTheProducersTraceFromAwsTraceHeader() throws Exception {
    String[] urls = queue.createWithDlq("traced", 30, 3);
    String traceId = "1-6566f1b0-0123456789abcdef01234567";
    String parentId = "53995c3f42cd8ad8";
    queue.sqs.sendMessage(
        m ->
            m.queueUrl(urls[0])
                .messageBody(work(0, false))
                .messageSystemAttributes(
                    Map.of(
                        MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder()
                            .dataType("String")
                            .stringValue("Root=" + traceId + ";Parent=" + parentId + ";Sampled=1")
                            .build())));

    startWorker(urls[0], Map.of());

    JsonNode segment =
        xray.await(
            d ->
                d.path("name").asText().equals("queue-worker")
                    && d.path("trace_id").asText().equals(traceId),
            Duration.ofSeconds(20));
    assertThat(segment.path("parent_id").asText()).isEqualTo(parentId);
    List<String> subsegments = new ArrayList<>();
    segment
        .path("subsegments")
        .forEach(
            s ->
                subsegments.add(
                    s.path("name").asText() + ":" + s.path("aws").path("operation").asText("")));
    assertThat(subsegments).contains("SQS:ReceiveMessage", "process:", "SQS:DeleteMessageBatch");
    assertThat(segment.at("/annotations/queue").asText()).isEqualTo("traced");
  }

  @Test
  void theGeneratorsTraceReachesTheWorker() throws Exception {
    String[] urls = queue.createWithDlq("linked", 30, 3);
    String generatorTrace = GeneratorTestAccess.sendTraced(queue.sqs, urls[0], 3, xray.address());

    startWorker(urls[0], Map.of());

    JsonNode segment =
        xray.await(
            d ->
                d.path("name").asText().equals("queue-worker")
                    && d.path("trace_id").asText().equals(generatorTrace),
            Duration.ofSeconds(20));
    assertThat(segment.path("parent_id").asText()).isNotBlank();
  }

  @Test
  void protectsTheTaskWhileBusyAndReleasesItWhenIdle() throws Exception {
    try (FakeEcsAgent agent = new FakeEcsAgent()) {
      String[] urls = queue.createWithDlq("protected", 30, 3);
      startWorker(urls[0], Map.of("ECS_AGENT_URI", agent.uri()));
      Thread.sleep(1_500);
      assertThat(agent.calls()).as("an idle worker asks for nothing").isEmpty();
      queue.send(urls[0], work(2_500, false));

      eventually(
          () -> agent.calls().stream().anyMatch(b -> b.contains("\"ProtectionEnabled\":true")),
          Duration.ofSeconds(10));
      eventually(() -> worker.processed() == 1, Duration.ofSeconds(10));
      eventually(
          () -> agent.calls().stream().anyMatch(b -> b.contains("\"ProtectionEnabled\":false")),
          Duration.ofSeconds(10));

      List<String> seen = agent.calls();
      assertThat(seen.get(0)).startsWith("PUT ").contains("\"ExpiresInMinutes\":15");
      assertThat(seen.get(seen.size() - 1)).isEqualTo("PUT {\"ProtectionEnabled\":false}");
    }
  }

  @Test
  void aStopWritesItsReportBeforeReleasingTaskProtectionSoASilentAgentCannotCostIt()
      throws Exception {
    try (FakeEcsAgent agent = new FakeEcsAgent()) {
      List<String> logsAtRelease = new CopyOnWriteArrayList<>();
      agent.holdReleases(() -> logsAtRelease.add(logs()));
      String[] urls = queue.createWithDlq("protected-stop", 30, 3);
      startWorker(urls[0], Map.of("ECS_AGENT_URI", agent.uri(), "WORKER_SHUTDOWN_SECONDS", "1"));
      queue.send(urls[0], work(10_000, false));
      eventually(
          () -> agent.calls().stream().anyMatch(b -> b.contains("\"ProtectionEnabled\":true")),
          Duration.ofSeconds(10));

      worker.stop();

      // The release is the stop's last call to the agent; ECS may kill the task while it waits
      // on an agent that does not answer, so the report must already be out.
      assertThat(logsAtRelease).as("the stop released the task's protection").hasSize(1);
      assertThat(LogLines.of("shutdown", logsAtRelease.get(0)))
          .as("the shutdown report was written before the release went to the agent")
          .hasSize(1);
    }
  }

  @Test
  void anUnreachableAgentIsLoggedNeverFatal() throws Exception {
    String[] urls = queue.createWithDlq("no-agent", 30, 3);
    startWorker(urls[0], Map.of("ECS_AGENT_URI", "http://127.0.0.1:1"));
    queue.send(urls[0], work(1_500, false));

    eventually(() -> worker.processed() == 1, Duration.ofSeconds(15));

    assertThat(logs()).contains("task-protection-failed");
  }
}
