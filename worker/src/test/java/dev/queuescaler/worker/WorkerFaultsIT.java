package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.FaultInjectingProxy.Reply;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker's fault paths against ElasticMQ, with faults injected by a proxy in front of it where
 * SQS itself would have to misbehave: crashed work, a slow batch-mate, a shutdown with finished and
 * running work, refused heartbeats and give-backs, and receive errors retryable or not.
 */
class WorkerFaultsIT {

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
  void workThatDiesWithAnErrorIsReleasedRetriedAndDeadLetteredNotPinned() throws Exception {
    String[] urls = queue.createWithDlq("crashing", 2, 2);
    queue.send(urls[0], work(0, false));
    MessageHandler overflowing =
        message -> {
          throw new StackOverflowError("recursion in user code");
        };

    startWorker(queue.sqs, urls[0], overflowing, Map.of());

    // Twice received and failed; then SQS dead-letters it: it was never kept invisible by us.
    eventually(() -> queue.visible(urls[1]) == 1, Duration.ofSeconds(30));
    eventually(() -> !worker.busy(), Duration.ofSeconds(5));
    assertThat(worker.failed()).isEqualTo(2);
    assertThat(logs()).contains("java.lang.StackOverflowError").contains("recursion in user code");
  }

  @Test
  void aSlowMessageNeitherHoldsItsFinishedBatchMatesNorItsLoop() throws Exception {
    String[] urls = queue.createWithDlq("slow-mate", 30, 3);
    queue.send(urls[0], work(15_000, false));
    for (int i = 0; i < 9; i++) {
      queue.send(urls[0], work(0, false));
    }

    startWorker(queue.sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    // The nine fast ones are deleted within about a second of finishing, the slow one still runs.
    eventually(() -> worker.processed() >= 9, Duration.ofSeconds(5));
    eventually(() -> queue.inFlight(urls[0]) == 1, Duration.ofSeconds(3));
    // The loop has nine free slots again: new messages are taken while the slow one works.
    for (int i = 0; i < 5; i++) {
      queue.send(urls[0], work(0, false));
    }
    eventually(() -> worker.processed() >= 14, Duration.ofSeconds(5));
    eventually(() -> queue.inFlight(urls[0]) == 1, Duration.ofSeconds(3));
    assertThat(worker.processed()).as("the slow one is still working").isEqualTo(14);
  }

  @Test
  void shutdownDeletesFinishedWorkAndGivesBackOnlyWorkStillRunning() throws Exception {
    String[] urls = queue.createWithDlq("shutdown-mix", 30, 3);
    queue.send(urls[0], work(20_000, false));
    for (int i = 0; i < 9; i++) {
      queue.send(urls[0], work(200, false));
    }
    startWorker(
        queue.sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "1", "WORKER_SHUTDOWN_SECONDS", "2"));
    // The nine are done while their slow batch-mate still works.
    eventually(() -> worker.processed() == 9, Duration.ofSeconds(5));

    QueueWorker.ShutdownReport report = worker.stop();

    assertThat(report.released()).isEqualTo(1);
    assertThat(report.withinBudget()).isFalse();
    assertThat(worker.processed()).isEqualTo(9);
    assertThat(queue.visible(urls[0])).as("only the running one is given back").isEqualTo(1);
    assertThat(queue.inFlight(urls[0])).isZero();
  }

  @Test
  void aRefusedHeartbeatMeansTheMessageIsNoLongerOursAndIsNotExtendedAgain() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("heartbeat-refused", 3, 1);
    proxy.rewrite("ChangeMessageVisibilityBatch", WorkerFaultsIT::refuseEveryEntry);
    queue.send(urls[0], work(5_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of());

    eventually(() -> logs().contains("heartbeat-refused"), Duration.ofSeconds(10));
    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(15));
    eventually(() -> !worker.busy(), Duration.ofSeconds(5));
    long heartbeatsForIt =
        proxy.calls("ChangeMessageVisibilityBatch").stream()
            .filter(c -> c.request().path("Entries").get(0).path("VisibilityTimeout").asInt() > 0)
            .count();
    assertThat(heartbeatsForIt).as("one refused heartbeat, then none").isEqualTo(1);
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isEqualTo(1);
    assertThat(proxy.calls("DeleteMessageBatch")).as("not ours to delete").isEmpty();
  }

  @Test
  void aMessageLostToARefusedHeartbeatNoLongerKeepsTheTaskBusyWhileItsWorkRuns() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("lost-not-busy", 3, 1);
    proxy.rewrite("ChangeMessageVisibilityBatch", WorkerFaultsIT::refuseEveryEntry);
    queue.send(urls[0], work(6_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> logs().contains("heartbeat-refused"), Duration.ofSeconds(10));
    // Its work goes on, but the message is not ours: nothing to protect the task for.
    assertThat(worker.busy()).isFalse();
    assertThat(worker.processed()).as("its work still runs").isZero();
  }

  @Test
  void aHeartbeatEntryThatFailedOnSqsSideIsRetriedNotTakenAsARefusal() throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 9 s, work 12 s: the first heartbeat, due after 3 s, fails; its retry must keep the
    // message until the work ends.
    String[] urls = queue.createWithDlq("heartbeat-server-fault", 9, 3);
    // The first heartbeat's entries fail with SenderFault false: SQS's own error, not a refusal.
    AtomicInteger faultsLeft = new AtomicInteger(1);
    proxy.rewrite(
        "ChangeMessageVisibilityBatch",
        (request, response) ->
            isHeartbeat(request) && faultsLeft.getAndDecrement() > 0
                ? serverFaultOnEveryEntry(request, response)
                : response);
    queue.send(urls[0], work(12_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(30));
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(3));
    assertThat(worker.processed()).as("deleted by its one processing").isEqualTo(1);
    assertThat(logs()).doesNotContain("heartbeat-refused");
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isZero();
  }

  @Test
  void aDeleteCallThatFailsWholeIsTriedAgainAndTheMessageIsProcessedOnce() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("delete-500", 4, 3);
    // More 500s than the SDK makes attempts for one call: the first delete call fails whole.
    answerServerErrors("DeleteMessageBatch", 4, request -> true);
    queue.send(urls[0], work(100, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(10));
    // Deleted by a later call, not delivered again after its 4 s visibility.
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(3));
    Thread.sleep(5_000);
    assertThat(worker.processed()).as("processed once").isEqualTo(1);
    assertThat(logs()).contains("\"event\":\"delete-call-failed\"");
  }

  @Test
  void aDeleteCallThatFailsDuringTheStopSaysItIsTriedUntilTheStopEndsNotForMinutes()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("delete-500-at-stop", 30, 3);
    answerServerErrors("DeleteMessageBatch", Integer.MAX_VALUE, request -> true);
    queue.send(urls[0], work(0, false));
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "1", "WORKER_SHUTDOWN_SECONDS", "1"));
    eventually(() -> worker.processed() == 1, Duration.ofSeconds(10));

    int before = logs().length();
    worker.stop();

    // During the stop a failed delete call is tried again only until the stop's last deletes
    // end, and the message is then logged delete-abandoned: not "for up to 2 minutes".
    List<JsonNode> atStop = LogLines.of("delete-call-failed", logs().substring(before));
    assertThat(atStop).as("the stop's last deletes failed too").isNotEmpty();
    assertThat(atStop)
        .allSatisfy(
            line ->
                assertThat(line.path("consequence").asText())
                    .doesNotContain("2 minutes")
                    .contains("until the stop"));
    assertThat(LogLines.of("delete-abandoned", logs())).hasSize(1);
  }

  @Test
  void anSqsOutageOfSecondsOnDeletesIsWaitedOutAndTheMessageIsProcessedOnce() throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 4 s, heartbeated: a message whose deletes were given up comes back in 4 s.
    String[] urls = queue.createWithDlq("delete-outage", 4, 3);
    // Every delete call fails whole for 6 s from the first one: more calls than a few, with the
    // SDK's own attempts and backoff inside each.
    java.util.concurrent.atomic.AtomicLong outageStart =
        new java.util.concurrent.atomic.AtomicLong();
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          long now = System.nanoTime();
          outageStart.compareAndSet(0, now);
          return now - outageStart.get() < TimeUnit.SECONDS.toNanos(6)
              ? Optional.of(Reply.error(500, "InternalError", "We encountered an internal error"))
              : Optional.empty();
        });
    queue.send(urls[0], work(100, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(10));
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(30));
    Thread.sleep(5_000);
    assertThat(worker.processed()).as("processed once, deleted after the outage").isEqualTo(1);
    assertThat(proxy.calls("DeleteMessageBatch").size())
        .as("tried again with a backoff, not as fast as calls fail (about 40 a second)")
        .isLessThan(60);
  }

  @Test
  void aShutdownWithEveryDeleteLoopInsideAHungCallStaysWithinItsBudgetNotALoopAfterALoop()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("delete-hung-at-stop", 30, 3);
    // SQS takes every delete call in and answers it only after 30 s: each delete loop that took a
    // batch sits inside its call when the stop comes.
    AtomicInteger hung = new AtomicInteger();
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          hung.incrementAndGet();
          sleep(30_000);
          return Optional.empty();
        });
    for (int i = 0; i < 160; i++) {
      queue.send(urls[0], work(10, false));
    }
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "16", "WORKER_SHUTDOWN_SECONDS", "1"));
    eventually(() -> hung.get() >= 12, Duration.ofSeconds(20));

    long started = System.nanoTime();
    worker.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // The budget (1 s), the delete loops' join (1 s), the last deletes (at most 5 s) and the
    // heartbeats' end: about 8 s, under the 20 s ECS gives a task past its budget before SIGKILL.
    // Joined one by one for 1 s each, the stop took 22 s; the limit leaves a loaded machine room.
    assertThat(took).isLessThan(Duration.ofSeconds(14));
  }

  @Test
  void aStopWhileDeleteLoopsWaitOnSlowCallsEndsWithEachFinishedMessageDeletedOrLoggedNotDeleted()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("delete-slow-at-stop", 30, 3);
    // SQS answers every delete call, but 4 s late: slow, not hung, well inside the 5 s the stop
    // gives its last deletes.
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          sleep(4_000);
          return Optional.empty();
        });
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "4", "WORKER_SHUTDOWN_SECONDS", "1"));
    // One message at a time: each is finished and taken by a delete loop not yet in a call, so
    // when the stop comes four loops each wait on one call and no finished message is left over.
    for (int i = 1; i <= 4; i++) {
      queue.send(urls[0], work(0, false));
      int calls = i;
      eventually(() -> proxy.calls("DeleteMessageBatch").size() >= calls, Duration.ofSeconds(10));
    }

    worker.stop();

    // When the stop returns the task exits: a message still in a delete call then is neither
    // deleted nor said to be; it comes back after its visibility timeout with no line about it.
    long abandoned = logs().lines().filter(l -> l.contains("\"delete-abandoned\"")).count();
    assertThat(queue.inFlight(urls[0]))
        .as("processed messages neither deleted nor logged delete-abandoned when the stop returns")
        .isEqualTo(abandoned);
    assertThat(worker.processed()).isEqualTo(4);
  }

  @Test
  void aDeleteBatchWithARefusedAndAFailedEntryDeletesTheRestRetriesTheFailedAndLosesNothing()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("delete-partial", 3, 3);
    AtomicBoolean first = new AtomicBoolean(true);
    // SQS's answer to the first delete call: its first entry refused (an expired receipt handle),
    // its second failed on SQS's side, the others deleted.
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          if (!first.compareAndSet(true, false)) {
            return Optional.empty();
          }
          ObjectNode answer = JSON.createObjectNode();
          ArrayNode successful = answer.putArray("Successful");
          ArrayNode failed = answer.putArray("Failed");
          JsonNode entries = request.path("Entries");
          for (int i = 0; i < entries.size(); i++) {
            String id = entries.get(i).path("Id").asText();
            if (i == 0) {
              failed
                  .addObject()
                  .put("Id", id)
                  .put("Code", "ReceiptHandleIsInvalid")
                  .put("Message", "The receipt handle has expired.")
                  .put("SenderFault", true);
            } else if (i == 1) {
              failed
                  .addObject()
                  .put("Id", id)
                  .put("Code", "InternalError")
                  .put("Message", "We encountered an internal error.")
                  .put("SenderFault", false);
            } else {
              String handle = entries.get(i).path("ReceiptHandle").asText();
              queue.sqs.deleteMessage(d -> d.queueUrl(urls[0]).receiptHandle(handle));
              successful.addObject().put("Id", id);
            }
          }
          return Optional.of(new Reply(200, answer.toString()));
        });
    for (int i = 0; i < 3; i++) {
      queue.send(urls[0], work(0, false));
    }

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    // The refused one was processed and comes back after its 3 s visibility: processed again.
    eventually(() -> worker.processed() == 4, Duration.ofSeconds(15));
    eventually(() -> queue.visible(urls[0]) + queue.inFlight(urls[0]) == 0, Duration.ofSeconds(5));
    Thread.sleep(4_000);
    assertThat(worker.processed()).as("the refused one twice, the others once").isEqualTo(4);
    assertThat(queue.visible(urls[1])).as("nothing dead-lettered").isZero();
    assertThat(logs().split("\"event\":\"delete-failed\"", -1)).hasSize(2);
    assertThat(proxy.calls("DeleteMessageBatch").get(0).request().path("Entries").size())
        .as("the three finished together: one call, with a refused and a failed entry")
        .isEqualTo(3);
    assertThat(logs()).contains("\"event\":\"delete-call-failed\"");
  }

  @Test
  void aHeartbeatCallThatFailsWholeIsRetriedAndTheMessageIsDeletedOnce() throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 9 s, work 12 s: the first heartbeat call, due after 3 s, fails; the next one must
    // keep the message until the work ends.
    String[] urls = queue.createWithDlq("heartbeat-500", 9, 3);
    // More 500s than the SDK makes attempts for one call: the first heartbeat call fails whole.
    answerServerErrors("ChangeMessageVisibilityBatch", 4, WorkerFaultsIT::isHeartbeat);
    queue.send(urls[0], work(12_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(30));
    // Deleted by the one processing, not redelivered after its visibility ran out.
    eventually(
        () -> queue.visible(urls[0]) == 0 && queue.inFlight(urls[0]) == 0, Duration.ofSeconds(3));
    assertThat(worker.processed()).isEqualTo(1);
    assertThat(logs())
        .contains("\"event\":\"heartbeat-failed\"")
        .doesNotContain("heartbeat-refused");
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isZero();
  }

  @Test
  void aMessageWhoseHeartbeatsFailUntilItsVisibilityRunsOutIsGivenUpThenAndSaysSo()
      throws Exception {
    SqsClient sqs = throughProxy();
    // maxReceiveCount 1: once its visibility runs out, the next receive dead-letters it.
    String[] urls = queue.createWithDlq("heartbeat-down", 3, 1);
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request ->
            isHeartbeat(request)
                ? Optional.of(Reply.error(503, "ServiceUnavailable", "Service Unavailable"))
                : Optional.empty());
    queue.send(urls[0], work(6_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> logs().contains("\"event\":\"heartbeat-expired\""), Duration.ofSeconds(10));
    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(10));
    assertThat(
            proxy.calls("ChangeMessageVisibilityBatch").stream()
                .filter(c -> isHeartbeat(c.request())))
        .as("retried while its visibility lasted: more calls than one call's SDK attempts")
        .hasSizeGreaterThan(4);
    assertThat(logs()).doesNotContain("heartbeat-refused");
    assertThat(registry.get("worker.heartbeat.lost").counter().count()).isEqualTo(1);
    assertThat(proxy.calls("DeleteMessageBatch")).as("no longer ours to delete").isEmpty();
    eventually(() -> !worker.busy(), Duration.ofSeconds(5));
  }

  @Test
  void sqsFailingForAMomentAtStartIsWaitedOutNotFatal() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("start-500", 30, 3);
    // More 500s than the SDK makes attempts for one call: the first read of the queue fails whole.
    answerServerErrors("GetQueueAttributes", 4, request -> true);
    queue.send(urls[0], work(0, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() == 1, Duration.ofSeconds(15));
    assertThat(logs()).contains("\"event\":\"start-failed\"").contains("retryInMillis");
    assertThat(worker.fatal().toCompletableFuture().isDone()).isFalse();
  }

  @Test
  void aDeleteSqsDeniesIsFatalNotProcessedAgainUntilTheDeadLetterQueue() throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 2 s: a message left undeleted would be received and processed again at once.
    String[] urls = queue.createWithDlq("delete-denied", 2, 5);
    proxy.fail(
        "DeleteMessageBatch",
        request ->
            Optional.of(
                Reply.sqsError(
                    403,
                    "AccessDenied",
                    "AccessDenied",
                    "User is not authorized to perform: sqs:deletemessage")));
    queue.send(urls[0], work(0, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    String reason = worker.fatal().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reason).contains("DeleteMessageBatch").contains("AccessDenied");
    assertThat(logs()).contains("\"event\":\"delete-failed-permanently\"");
    // A retry deletes the same receipt handle again; a delivery after the 2 s visibility has its
    // own handle, and its own delete, which is no retry.
    JsonNode firstDelete = proxy.calls("DeleteMessageBatch").get(0).request();
    String handle = firstDelete.path("Entries").get(0).path("ReceiptHandle").asText();
    Thread.sleep(3_000);
    assertThat(
            proxy.calls("DeleteMessageBatch").stream()
                .filter(c -> c.request().findValuesAsText("ReceiptHandle").contains(handle)))
        .as("a denied delete is not tried again: no retry can mend it")
        .hasSize(1);
  }

  @Test
  void aHeartbeatSqsDeniesIsFatalNotRetriedEveryBeat() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("heartbeat-denied", 3, 5);
    // A task role without sqs:ChangeMessageVisibility: every heartbeat is refused whole.
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request ->
            isHeartbeat(request)
                ? Optional.of(
                    Reply.sqsError(
                        403,
                        "AccessDenied",
                        "AccessDenied",
                        "User is not authorized to perform: sqs:changemessagevisibility"))
                : Optional.empty());
    queue.send(urls[0], work(8_000, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    String reason = worker.fatal().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reason).contains("ChangeMessageVisibilityBatch").contains("AccessDenied");
    assertThat(logs()).contains("\"event\":\"heartbeat-failed-permanently\"");
  }

  @Test
  void aHeartbeatInFlightAtTheShutdownDeadlineCannotStrandTheMessageGivenBack() throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 15 s: the first heartbeat is due 5 s after the receive, and its call may take 5 s.
    String[] urls = queue.createWithDlq("heartbeat-at-deadline", 15, 3);
    // SQS applies the heartbeat's extension only once the stop, past its deadline, waits for the
    // heartbeats' end: about 1 s after the heartbeat was sent, well inside its call's 5 s. A stop
    // that gave back without waiting would have the extension land on the message given back.
    CountDownLatch heartbeatSent = new CountDownLatch(1);
    CountDownLatch stopWaitsForIt = new CountDownLatch(1);
    CountDownLatch extensionApplied = new CountDownLatch(1);
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (isHeartbeat(request)) {
            heartbeatSent.countDown();
            await(stopWaitsForIt);
          }
          return Optional.empty();
        });
    proxy.rewrite(
        "ChangeMessageVisibilityBatch",
        (request, response) -> {
          if (isHeartbeat(request)) {
            extensionApplied.countDown();
          }
          return response;
        });
    queue.send(urls[0], work(60_000, false));
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "1", "WORKER_SHUTDOWN_SECONDS", "1"));
    assertThat(heartbeatSent.await(20, TimeUnit.SECONDS)).isTrue();

    AtomicReference<QueueWorker.ShutdownReport> report = new AtomicReference<>();
    Thread stopping = new Thread(() -> report.set(worker.stop()), "stopping");
    try {
      stopping.start();
      // Past the budget, the delete loops and the last deletes the stop waits for the heartbeat
      // call in flight (or, not waiting, has ended: then the extension lands after its give-back).
      eventually(
          () -> waitsForTheHeartbeatsEnd(stopping) || !stopping.isAlive(), Duration.ofSeconds(10));
    } finally {
      stopWaitsForIt.countDown();
    }
    stopping.join(30_000);
    assertThat(extensionApplied.await(10, TimeUnit.SECONDS)).as("the extension landed").isTrue();

    assertThat(stopping.isAlive()).as("the stop ended").isFalse();
    assertThat(report.get().released()).isEqualTo(1);
    assertThat(queue.inFlight(urls[0])).as("nothing left in flight after the stop").isZero();
    assertThat(queue.visible(urls[0])).isEqualTo(1);
  }

  @Test
  void aStopWhileWorkOutlastsItsVisibilityFinishesTheWorkOnceAndDeletesIt() throws Exception {
    // Visibility 6 s, work 10 s: the stop comes while heartbeats keep the message invisible; its
    // budget, 30 s, is far above the 9 s of work left.
    String[] urls = queue.createWithDlq("stop-outlasting", 6, 3);
    queue.send(urls[0], work(10_000, false));
    startWorker(
        queue.sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "2", "WORKER_SHUTDOWN_SECONDS", "30"));
    eventually(() -> queue.inFlight(urls[0]) == 1, Duration.ofSeconds(5));
    Thread.sleep(1_000);

    QueueWorker.ShutdownReport report = worker.stop();

    assertThat(report.withinBudget()).isTrue();
    assertThat(report.finished()).isEqualTo(1);
    assertThat(report.released()).isZero();
    assertThat(worker.processed()).isEqualTo(1);
    assertThat(queue.inFlight(urls[0])).isZero();
    assertThat(queue.visible(urls[0])).as("deleted, not back").isZero();
    assertThat(queue.visible(urls[1])).isZero();
  }

  @Test
  void aVisibilityTimeoutLoweredWhileTheWorkerRunsDoesNotLetItsWorkRunTwice() throws Exception {
    String[] urls = queue.createWithDlq("visibility-lowered", 30, 5);
    AtomicInteger starts = new AtomicInteger();
    MessageHandler counting =
        message -> {
          starts.incrementAndGet();
          new SimulatedWork().handle(message);
        };
    startWorker(queue.sqs, urls[0], counting, Map.of("WORKER_CONCURRENCY", "2"));
    // An operator lowers the queue's visibility timeout on the running fleet: the worker read 30 s
    // at start and heartbeats a message only after 10 s.
    queue.sqs.setQueueAttributes(
        r -> r.queueUrl(urls[0]).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2")));
    queue.send(urls[0], work(6_000, false));

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(15));

    assertThat(starts.get()).as("its work started once").isEqualTo(1);
    eventually(() -> queue.inFlight(urls[0]) + queue.visible(urls[0]) == 0, Duration.ofSeconds(3));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isHeartbeat(JsonNode request) {
    return request.path("Entries").get(0).path("VisibilityTimeout").asInt() > 0;
  }

  @Test
  void aGiveBackThatFailsIsCountedAndLoggedPerMessage() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("release-refused", 30, 3);
    // SQS answers the give-back with a per-entry failure (and does not apply it).
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request ->
            Optional.of(
                new Reply(200, refuseEveryEntry(request, JSON.createObjectNode()).toString())));
    queue.send(urls[0], work(20_000, false));
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_SHUTDOWN_SECONDS", "1", "WORKER_CONCURRENCY", "1"));
    eventually(() -> queue.inFlight(urls[0]) == 1, Duration.ofSeconds(5));

    QueueWorker.ShutdownReport report = worker.stop();

    assertThat(report.released()).isZero();
    assertThat(report.releaseFailed()).isEqualTo(1);
    assertThat(logs()).contains("\"event\":\"release-failed\"").contains("ReceiptHandleIsInvalid");
  }

  @Test
  void aGiveBackSqsDoesNotAnswerEndsBeforeEcsKillsTheTaskAndReportsEveryMessageNotGivenBack()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("release-hung", 30, 3);
    // SQS takes every give-back call (visibility 0) in and does not answer it; heartbeats pass.
    CountDownLatch sqsAnswers = new CountDownLatch(1);
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (!isHeartbeat(request)) {
            try {
              sqsAnswers.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return Optional.empty();
        });
    for (int i = 0; i < 64; i++) {
      queue.send(urls[0], work(60_000, false));
    }
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "7", "WORKER_SHUTDOWN_SECONDS", "1"));
    // 64 messages running at the stop (their work started, not only received): seven give-back
    // calls.
    eventually(
        () -> registry.get("worker.messages.in.progress").gauge().value() == 64,
        Duration.ofSeconds(15));

    TimedStop stop;
    try {
      stop = stopBeforeEcsKills(1);
    } finally {
      sqsAnswers.countDown();
    }
    QueueWorker.ShutdownReport report = stop.report();
    Duration took = stop.took();

    // The give-back ends 5 s before ECS's kill, keeping them for the report (about 16 s here);
    // the limit leaves a loaded machine 3 s and still 2 s before the kill.
    assertThat(took).isLessThan(Duration.ofSeconds(19));
    assertThat(report.released()).isZero();
    assertThat(report.releaseFailed()).as("every message not given back is counted").isEqualTo(64);
    assertThat(LogLines.of("release-failed", logs()))
        .as("and logged, once each")
        .hasSize(64)
        .allSatisfy(
            line ->
                assertThat(line.path("consequence").asText())
                    .isEqualTo("visible again only after the visibility timeout"));
    assertThat(LogLines.of("shutdown", logs()))
        .singleElement()
        .satisfies(line -> assertThat(line.path("releaseFailed").asLong()).isEqualTo(64));
  }

  @Test
  void aStopWhoseDeletesAndHeartbeatsSqsDoesNotAnswerStillKeepsItsLastFiveSecondsForTheReport()
      throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("all-hung-at-stop", 30, 3);
    // SQS takes every delete call in and answers none.
    proxy.fail(
        "DeleteMessageBatch",
        request -> {
          sleep(60_000);
          return Optional.empty();
        });
    // Heartbeats: SQS fails every entry of the first beat on its side, so that the next one, a
    // second later, carries all 30 messages (three calls, one after another); that one and every
    // later heartbeat call it takes in and answers none (each call gives up at its bound, 10 s with
    // a visibility of 30 s).
    AtomicLong firstHeartbeatAt = new AtomicLong();
    CountDownLatch heartbeatHung = new CountDownLatch(1);
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (isHeartbeat(request)) {
            long now = System.nanoTime();
            firstHeartbeatAt.compareAndSet(0, now);
            if (now - firstHeartbeatAt.get() > TimeUnit.MILLISECONDS.toNanos(500)) {
              heartbeatHung.countDown();
              sleep(60_000);
            }
          }
          return Optional.empty();
        });
    proxy.rewrite(
        "ChangeMessageVisibilityBatch",
        (request, response) ->
            isHeartbeat(request) ? serverFaultOnEveryEntry(request, response) : response);
    // One message finished at once, whose delete loop then sits in its call, and 29 running.
    queue.send(urls[0], work(0, false));
    for (int i = 0; i < 29; i++) {
      queue.send(urls[0], work(60_000, false));
    }
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "3", "WORKER_SHUTDOWN_SECONDS", "1"));
    eventually(
        () ->
            worker.processed() == 1
                && registry.get("worker.messages.in.progress").gauge().value() == 29,
        Duration.ofSeconds(15));
    // The heartbeat for all 30 is in its first call.
    assertThat(heartbeatHung.await(20, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(1_500);

    TimedStop stop = stopBeforeEcsKills(1);
    QueueWorker.ShutdownReport report = stop.report();
    Duration took = stop.took();

    // The budget (1 s), the delete loops (1 s) and the last deletes (5 s) leave the heartbeat still
    // in its calls. Its end is waited for until the give-back's deadline, the budget + 15 s, and no
    // longer: waited for its bound + 1 s (11 s) the stop was at the budget + 17 s, and kept 3 s,
    // not 5, for the report and the task protection's release. Here nothing follows: the stop ends
    // at the give-back's deadline; the limit leaves a loaded machine 1 s.
    assertThat(took)
        .as("a stop whose deletes and heartbeats SQS does not answer")
        .isLessThan(
            Duration.ofSeconds(1)
                .plus(QueueWorker.STOP_MARGIN)
                .minus(QueueWorker.AFTER_GIVE_BACK)
                .plusSeconds(1));
    assertThat(report.released() + report.releaseFailed())
        .as("each running message given back or counted not given back")
        .isEqualTo(29);
    assertThat(LogLines.of("shutdown", logs())).singleElement();
  }

  @Test
  void workThatFinishesAfterTheLastDeletesWhileTheStopWaitsForAHeartbeatIsStillDeleted()
      throws Exception {
    SqsClient sqs = throughProxy();
    // Visibility 15 s: the first heartbeat is due 5 s after the receive, and its call is bounded
    // at 5 s, which the stop waits for before it gives back.
    String[] urls = queue.createWithDlq("finished-after-last-deletes", 15, 3);
    // SQS takes every heartbeat call in and answers none until the test ends: the stop's wait for
    // the heartbeats' end lasts until the call's bound.
    CountDownLatch heartbeatHeld = new CountDownLatch(1);
    CountDownLatch testEnds = new CountDownLatch(1);
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (isHeartbeat(request)) {
            heartbeatHeld.countDown();
            await(testEnds);
          }
          return Optional.empty();
        });
    // The work runs until the test lets it finish.
    CountDownLatch workStarted = new CountDownLatch(1);
    CountDownLatch workMayFinish = new CountDownLatch(1);
    MessageHandler held =
        message -> {
          workStarted.countDown();
          await(workMayFinish);
        };
    queue.send(urls[0], work(0, false));
    startWorker(
        sqs, urls[0], held, Map.of("WORKER_CONCURRENCY", "1", "WORKER_SHUTDOWN_SECONDS", "1"));
    assertThat(workStarted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(heartbeatHeld.await(15, TimeUnit.SECONDS)).isTrue();

    AtomicReference<QueueWorker.ShutdownReport> report = new AtomicReference<>();
    Thread stopping = new Thread(() -> report.set(worker.stop()), "stopping");
    try {
      stopping.start();
      // Past the budget, the delete loops and the last deletes (nothing finished yet: no call),
      // the stop waits for the heartbeat call in flight; the work finishes now.
      eventually(() -> waitsForTheHeartbeatsEnd(stopping), Duration.ofSeconds(4));
      workMayFinish.countDown();
      stopping.join(30_000);
    } finally {
      workMayFinish.countDown();
      testEnds.countDown();
    }

    assertThat(stopping.isAlive()).as("the stop ended").isFalse();
    assertThat(report.get().finished()).isEqualTo(1);
    assertThat(worker.processed()).isEqualTo(1);
    assertThat(queue.inFlight(urls[0]))
        .as("work finished after the last deletes is deleted, not left in flight")
        .isZero();
    assertThat(queue.visible(urls[0])).as("nor given back to run again").isZero();
    assertThat(LogLines.of("delete-abandoned", logs())).isEmpty();
  }

  /** Whether {@code stopping} is in the stop's wait for the heartbeats' end. */
  private static boolean waitsForTheHeartbeatsEnd(Thread stopping) {
    boolean awaitingTermination = false;
    for (StackTraceElement frame : stopping.getStackTrace()) {
      if (frame.getClassName().equals(QueueWorker.class.getName())) {
        return awaitingTermination && frame.getMethodName().equals("shutdown");
      }
      awaitingTermination |= frame.getMethodName().equals("awaitTermination");
    }
    return false;
  }

  /** A CloudWatch that takes every PutMetricData in and never answers; keeps the log as it was. */
  private final class SilentCloudWatch implements CloudWatchAsyncClient {
    final List<String> logsAtEachPublish = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
      logsAtEachPublish.add(logs());
      return new CompletableFuture<>();
    }

    @Override
    public String serviceName() {
      return "monitoring";
    }

    @Override
    public void close() {}
  }

  @Test
  void aStopWritesItsReportBeforeTheLastMetricsPublishAndDoesNotWaitLongOnASilentCloudWatch()
      throws Exception {
    String[] urls = queue.createWithDlq("metrics-silent", 30, 3);
    queue.send(urls[0], work(0, false));
    SilentCloudWatch cloudWatch = new SilentCloudWatch();
    CloudWatchMeterRegistry metrics = WorkerMetrics.cloudWatch("QueueWorker", cloudWatch);
    // No publish on the minute in this test (one could fall within it): the stop's is the only one.
    metrics.stop();
    worker =
        LocalQueue.startWorker(
            queue.sqs,
            urls[0],
            new SimulatedWork(),
            Map.of("WORKER_SHUTDOWN_SECONDS", "1"),
            metrics,
            xray.address(),
            logs);
    eventually(() -> worker.processed() == 1, Duration.ofSeconds(10));

    Duration took = stopBeforeEcsKills(1).took();

    assertThat(cloudWatch.logsAtEachPublish).as("the stop's last publish was sent").hasSize(1);
    assertThat(LogLines.of("shutdown", cloudWatch.logsAtEachPublish.get(0)))
        .as("the shutdown report was written before the last publish went to CloudWatch")
        .singleElement()
        .satisfies(line -> assertThat(line.path("processed").asLong()).isEqualTo(1));
    // The give-back ends at the budget here (nothing held); the report follows, then the last
    // publish, waited for at most PUBLISH_WAIT: the stop is designed to end at about 4 s, however
    // long CloudWatch is silent. Waiting for Micrometer's own 10 s read timeout it took about 11 s;
    // the limit leaves a loaded machine 3 s.
    assertThat(took)
        .as("a stop whose last publish CloudWatch never answers")
        .isLessThan(Duration.ofSeconds(1).plus(WorkerMetrics.PUBLISH_WAIT).plusSeconds(3));
  }

  @Test
  void messagesALoopReceivesAfterTheStopBeganAndGivesBackItselfAreInTheReport() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("late-receive", 30, 3);
    // The loop's second receive is held until the stop gives back its running message, past the
    // stop's wait for the loops; it brings three messages the loop then gives back itself, in a
    // call SQS answers 1.5 s late.
    AtomicInteger receives = new AtomicInteger();
    CountDownLatch stopGivesBack = new CountDownLatch(1);
    CountDownLatch lateReceiveAnswered = new CountDownLatch(1);
    proxy.fail(
        "ReceiveMessage",
        request -> {
          if (receives.incrementAndGet() == 2) {
            await(stopGivesBack);
          }
          return Optional.empty();
        });
    proxy.rewrite(
        "ReceiveMessage",
        (request, response) -> {
          if (response.path("Messages").size() == 3) {
            lateReceiveAnswered.countDown();
          }
          return response;
        });
    AtomicInteger giveBacks = new AtomicInteger();
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (!isHeartbeat(request)) {
            if (giveBacks.incrementAndGet() == 1) {
              // The stop's own give-back: it lands after the late receive, which so gets only the
              // three new messages.
              stopGivesBack.countDown();
              await(lateReceiveAnswered);
            } else {
              sleep(1_500);
            }
          }
          return Optional.empty();
        });
    queue.send(urls[0], work(60_000, false));
    startWorker(
        sqs,
        urls[0],
        new SimulatedWork(),
        Map.of("WORKER_CONCURRENCY", "1", "WORKER_SHUTDOWN_SECONDS", "1"));
    eventually(
        () -> registry.get("worker.messages.in.progress").gauge().value() == 1,
        Duration.ofSeconds(10));
    eventually(() -> receives.get() == 2, Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      queue.send(urls[0], work(0, false));
    }

    QueueWorker.ShutdownReport report = worker.stop();

    assertThat(report.released())
        .as("the running message and the three the loop received after the stop began")
        .isEqualTo(4);
    assertThat(report.releaseFailed()).isZero();
    assertThat(LogLines.of("shutdown", logs()))
        .singleElement()
        .satisfies(line -> assertThat(line.path("released").asLong()).isEqualTo(4));
    assertThat(giveBacks.get()).as("the stop's give-back and the loop's").isEqualTo(2);
    assertThat(queue.visible(urls[0])).as("all four visible again").isEqualTo(4);
  }

  /** A stop, and how long it took. */
  private record TimedStop(QueueWorker.ShutdownReport report, Duration took) {}

  /**
   * Stops the worker on another thread and waits for it until ECS's kill, the budget + 20 s: a stop
   * still running then would be SIGKILLed, its report never written.
   */
  private TimedStop stopBeforeEcsKills(int budgetSeconds) throws Exception {
    long started = System.nanoTime();
    CompletableFuture<QueueWorker.ShutdownReport> stopping =
        CompletableFuture.supplyAsync(worker::stop);
    try {
      QueueWorker.ShutdownReport report = stopping.get(budgetSeconds + 20L, TimeUnit.SECONDS);
      return new TimedStop(report, Duration.ofNanos(System.nanoTime() - started));
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the stop was still running when ECS would have killed the task (budget + 20 s)", e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aReceiveErrorNoRetryCanMendIsFatalNotRetriedForever() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("denied", 30, 3);
    proxy.fail(
        "ReceiveMessage",
        request ->
            Optional.of(
                Reply.error(
                    400,
                    "com.amazonaws.sqs#QueueDoesNotExist",
                    "The specified queue does not exist.")));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "2"));

    String reason = worker.fatal().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reason).contains("does not exist");
    Thread.sleep(1_500);
    assertThat(proxy.calls("ReceiveMessage"))
        .as("each loop tried once")
        .hasSizeLessThanOrEqualTo(2);
    assertThat(logs()).contains("receive-failed-permanently");
  }

  @Test
  void retryableReceiveErrorsBackOffAndRecover() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("flaky", 30, 3);
    answerServerErrors("ReceiveMessage", 8, request -> true);
    queue.send(urls[0], work(0, false));

    startWorker(sqs, urls[0], new SimulatedWork(), Map.of("WORKER_CONCURRENCY", "1"));

    eventually(() -> worker.processed() == 1, Duration.ofSeconds(30));
    assertThat(logs()).contains("\"event\":\"receive-failed\"").contains("retryInMillis");
    assertThat(worker.fatal().toCompletableFuture().isDone()).isFalse();
  }

  /** The next {@code times} calls of {@code operation} that {@code which} picks answer HTTP 500. */
  private void answerServerErrors(
      String operation, int times, java.util.function.Predicate<JsonNode> which) {
    AtomicInteger left = new AtomicInteger(times);
    proxy.fail(
        operation,
        request ->
            which.test(request) && left.getAndDecrement() > 0
                ? Optional.of(Reply.error(500, "InternalError", "We encountered an internal error"))
                : Optional.empty());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A batch answer where every entry failed, as SQS reports an expired receipt handle. */
  private static JsonNode refuseEveryEntry(JsonNode request, JsonNode response) {
    return failEveryEntry(
        request, response, "ReceiptHandleIsInvalid", "The receipt handle has expired.", true);
  }

  @Test
  void aSlowGiveBackLeavesTheReleaseOfTaskProtectionToTheStopAfterItsReport() throws Exception {
    SqsClient sqs = throughProxy();
    String[] urls = queue.createWithDlq("slow-give-back", 30, 3);
    // SQS takes 3.5 s to answer the give-back (its call is bounded at 10 s, a third of the
    // visibility): the worker holds no message meanwhile, longer than protection's idle grace (2 s)
    // and its 1 s ticks.
    proxy.fail(
        "ChangeMessageVisibilityBatch",
        request -> {
          if (!isHeartbeat(request)) {
            sleep(3_500);
          }
          return Optional.empty();
        });
    try (FakeEcsAgent agent = new FakeEcsAgent()) {
      List<String> logsAtRelease = new CopyOnWriteArrayList<>();
      agent.holdReleases(() -> logsAtRelease.add(logs()));
      queue.send(urls[0], work(60_000, false));
      startWorker(
          sqs,
          urls[0],
          new SimulatedWork(),
          Map.of(
              "WORKER_CONCURRENCY", "1",
              "WORKER_SHUTDOWN_SECONDS", "1",
              "ECS_AGENT_URI", agent.uri()));
      eventually(
          () -> agent.calls().stream().anyMatch(b -> b.contains("\"ProtectionEnabled\":true")),
          Duration.ofSeconds(10));

      QueueWorker.ShutdownReport report = worker.stop();

      assertThat(report.released()).isEqualTo(1);
      // The stop owns the protection from its start: the release is its last call to the agent,
      // after the report, whatever the give-back left the worker idle for.
      assertThat(logsAtRelease).as("one release, the stop's").hasSize(1);
      assertThat(LogLines.of("shutdown", logsAtRelease.get(0)))
          .as("the shutdown report was written before the release went to the agent")
          .hasSize(1);
    }
  }

  /** A batch answer where every entry failed on SQS's side (SenderFault false). */
  private static JsonNode serverFaultOnEveryEntry(JsonNode request, JsonNode response) {
    return failEveryEntry(
        request,
        response,
        "InternalError",
        "We encountered an internal error. Please try again.",
        false);
  }

  private static JsonNode failEveryEntry(
      JsonNode request, JsonNode response, String code, String message, boolean senderFault) {
    ObjectNode answer = ((ObjectNode) response.deepCopy());
    ArrayNode failed = answer.putArray("Failed");
    request
        .path("Entries")
        .forEach(
            entry ->
                failed
                    .addObject()
                    .put("Id", entry.path("Id").asText())
                    .put("Code", code)
                    .put("Message", message)
                    .put("SenderFault", senderFault));
    answer.putArray("Successful");
    return answer;
  }
}
