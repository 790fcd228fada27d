package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The consuming engine. {@code concurrency} loops each long-poll for up to ten messages, process
 * them concurrently, and delete the ones that succeeded in one batch call whose entries are checked
 * one by one. Messages whose work outlives a third of the visibility timeout get a heartbeat
 * (ChangeMessageVisibility). {@link #shutdown()} stops receiving at once, lets started work finish
 * within the budget, and makes everything else visible again.
 */
public final class QueueWorker {

  /** A message this worker holds (received, not yet deleted or given back). */
  private static final class Held {
    final String receiptHandle;
    volatile Instant extendedAt;

    Held(String receiptHandle, Instant receivedAt) {
      this.receiptHandle = receiptHandle;
      this.extendedAt = receivedAt;
    }
  }

  /** What shutdown did. */
  public record ShutdownReport(long finished, long released, boolean withinBudget) {}

  private final SqsClient sqs;
  private final WorkerSettings settings;
  private final MessageHandler handler;
  private final WorkerMetrics metrics;
  private final WorkerTracing tracing;
  private final JsonLog log;
  private final Duration visibilityTimeout;
  private final ExecutorService processors;
  private final ScheduledExecutorService heartbeats;
  private final List<Thread> loops = new ArrayList<>();
  private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
  private final AtomicLong finishedAfterStop = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicInteger busyLoops = new AtomicInteger();
  private volatile boolean stopping;

  QueueWorker(
      SqsClient sqs,
      WorkerSettings settings,
      MessageHandler handler,
      WorkerMetrics metrics,
      WorkerTracing tracing,
      JsonLog log,
      Duration visibilityTimeout) {
    this.sqs = sqs;
    this.settings = settings;
    this.handler = handler;
    this.metrics = metrics;
    this.tracing = tracing;
    this.log = log;
    this.visibilityTimeout = visibilityTimeout;
    this.processors = Executors.newFixedThreadPool(settings.concurrency() * 10, named("process"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("heartbeat"));
  }

  void start() {
    for (int i = 0; i < settings.concurrency(); i++) {
      Thread loop = new Thread(this::receiveLoop, "receive-" + i);
      loops.add(loop);
      loop.start();
    }
    // Checked often enough that a late tick on a busy machine still extends in time.
    long every = Math.max(200, Math.min(1_000, visibilityTimeout.toMillis() / 6));
    heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  /** Whether the worker holds any message: the task must not be scaled in now. */
  boolean busy() {
    return !held.isEmpty() || busyLoops.get() > 0;
  }

  private void receiveLoop() {
    while (!stopping) {
      double receiveStart = seconds();
      List<Message> messages;
      try {
        messages =
            sqs.receiveMessage(
                    r ->
                        r.queueUrl(settings.queueUrl())
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(settings.receiveWaitSeconds())
                            .messageSystemAttributeNames(
                                MessageSystemAttributeName.AWS_TRACE_HEADER,
                                MessageSystemAttributeName.SENT_TIMESTAMP,
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
      } catch (SdkException e) {
        log.warn("receive-failed", Map.of("error", String.valueOf(e.getMessage())));
        pause(Duration.ofSeconds(1));
        continue;
      }
      if (messages.isEmpty()) {
        continue;
      }
      double receiveEnd = seconds();
      Instant now = Instant.now();
      messages.forEach(m -> held.put(m.receiptHandle(), new Held(m.receiptHandle(), now)));
      if (stopping) {
        // Received after SIGTERM, never started: give them back at once.
        release(messages.stream().map(Message::receiptHandle).toList());
        return;
      }
      busyLoops.incrementAndGet();
      try {
        processBatch(messages, receiveStart, receiveEnd);
      } finally {
        busyLoops.decrementAndGet();
      }
    }
  }

  private record Outcome(Message message, WorkerTracing.MessageTrace trace, boolean succeeded) {}

  private void processBatch(List<Message> messages, double receiveStart, double receiveEnd) {
    List<Future<Outcome>> running = new ArrayList<>();
    for (Message message : messages) {
      running.add(processors.submit(() -> process(message, receiveStart, receiveEnd)));
    }
    List<Outcome> succeeded = new ArrayList<>();
    List<Outcome> failed = new ArrayList<>();
    for (Future<Outcome> future : running) {
      try {
        Outcome outcome = future.get();
        (outcome.succeeded() ? succeeded : failed).add(outcome);
      } catch (ExecutionException e) {
        log.error("process-crashed", Map.of("error", String.valueOf(e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    delete(succeeded);
    for (Outcome outcome : failed) {
      // Not deleted: SQS redelivers it after the visibility timeout, then dead-letters it.
      held.remove(outcome.message().receiptHandle());
      outcome.trace().finish(seconds());
    }
    if (stopping) {
      finishedAfterStop.addAndGet(succeeded.size() + failed.size());
    }
  }

  private Outcome process(Message message, double receiveStart, double receiveEnd) {
    Map<MessageSystemAttributeName, String> attributes = message.attributes();
    Optional<Instant> sentAt =
        Optional.ofNullable(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP))
            .map(Long::parseLong)
            .map(Instant::ofEpochMilli);
    ReceivedMessage received =
        new ReceivedMessage(
            message.messageId(),
            message.body(),
            sentAt,
            Optional.ofNullable(attributes.get(MessageSystemAttributeName.AWS_TRACE_HEADER)));
    sentAt.ifPresent(sent -> metrics.received(Duration.between(sent, Instant.now())));
    WorkerTracing.MessageTrace trace = tracing.start(received, settings.queueName(), receiveStart);
    trace.sqsCall("ReceiveMessage", receiveStart, receiveEnd, false);

    metrics.started();
    long startNanos = System.nanoTime();
    double start = seconds();
    Optional<Throwable> failure = Optional.empty();
    try {
      handler.handle(received);
    } catch (Exception e) {
      failure = Optional.of(e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn(
          "message-failed",
          Map.of(
              "messageId", message.messageId(),
              "receiveCount",
                  attributes.getOrDefault(
                      MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"),
              "reason", String.valueOf(e.getMessage())));
    }
    metrics.finished(Duration.ofNanos(System.nanoTime() - startNanos), failure.isEmpty());
    trace.processed(start, seconds(), failure);
    return new Outcome(message, trace, failure.isEmpty());
  }

  private void delete(List<Outcome> succeeded) {
    // Only what is still held: a message given back at the shutdown deadline is not ours anymore.
    List<Outcome> ours =
        succeeded.stream().filter(o -> held.containsKey(o.message().receiptHandle())).toList();
    if (ours.isEmpty()) {
      return;
    }
    Map<String, Outcome> byId = new HashMap<>();
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      Outcome outcome = ours.get(i);
      byId.put(Integer.toString(i), outcome);
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .receiptHandle(outcome.message().receiptHandle())
              .build());
    }
    double start = seconds();
    Map<String, String> failedIds = new HashMap<>();
    try {
      DeleteMessageBatchResponse response =
          sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
      for (BatchResultErrorEntry error : response.failed()) {
        failedIds.put(error.id(), error.code() + ": " + error.message());
      }
    } catch (SdkException e) {
      byId.keySet().forEach(id -> failedIds.put(id, String.valueOf(e.getMessage())));
    }
    double end = seconds();
    byId.forEach(
        (id, outcome) -> {
          boolean failed = failedIds.containsKey(id);
          if (failed) {
            // Processed but not deleted: it will be delivered again (at-least-once).
            log.warn(
                "delete-failed",
                Map.of("messageId", outcome.message().messageId(), "error", failedIds.get(id)));
          }
          held.remove(outcome.message().receiptHandle());
          outcome.trace().sqsCall("DeleteMessageBatch", start, end, failed);
          outcome.trace().finish(end);
        });
  }

  /** Extends the visibility of messages whose work outlives a third of the timeout. */
  private void heartbeat() {
    Instant now = Instant.now();
    Duration third = visibilityTimeout.dividedBy(3);
    List<Held> due =
        held.values().stream().filter(h -> h.extendedAt.plus(third).isBefore(now)).toList();
    for (int from = 0; from < due.size(); from += 10) {
      List<Held> group = due.subList(from, Math.min(due.size(), from + 10));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(group.get(i).receiptHandle)
                .visibilityTimeout((int) visibilityTimeout.toSeconds())
                .build());
      }
      try {
        sqs.changeMessageVisibilityBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
        group.forEach(h -> h.extendedAt = now);
      } catch (SdkException e) {
        log.warn("heartbeat-failed", Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  /**
   * Makes messages visible again (ChangeMessageVisibility 0), counting what SQS accepted. Each
   * handle is claimed (removed from {@code held}) first, so that the receive loops and the shutdown
   * never give the same message back twice.
   */
  private void release(List<String> receiptHandles) {
    List<String> claimed = receiptHandles.stream().filter(h -> held.remove(h) != null).toList();
    for (int from = 0; from < claimed.size(); from += 10) {
      List<String> group = claimed.subList(from, Math.min(claimed.size(), from + 10));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(group.get(i))
                .visibilityTimeout(0)
                .build());
      }
      try {
        released.addAndGet(
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries))
                .successful()
                .size());
      } catch (SdkException e) {
        log.error("release-failed", Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  /**
   * Stops receiving at once, waits for started work until the budget ends, and gives back every
   * message still held.
   */
  public ShutdownReport shutdown() {
    stopping = true;
    Instant deadline = Instant.now().plus(settings.shutdownBudget());
    boolean withinBudget = true;
    for (Thread loop : loops) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      try {
        loop.join(Math.max(1, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      withinBudget &= !loop.isAlive();
    }
    heartbeats.shutdownNow();
    release(List.copyOf(held.keySet()));
    processors.shutdownNow();
    return new ShutdownReport(finishedAfterStop.get(), released.get(), withinBudget);
  }

  private static double seconds() {
    Instant now = Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
