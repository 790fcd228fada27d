package dev.queuescaler.worker;

import com.amazonaws.xray.AWSXRayRecorder;
import dev.queuescaler.message.SqsErrors;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A running worker: the engine, task protection, metrics and the periodic summary, started and
 * stopped as one. The local run starts several of these as its "tasks".
 */
public final class Worker {

  static final Duration SUMMARY_EVERY = Duration.ofSeconds(60);

  private final WorkerSettings settings;
  private final QueueWorker engine;
  private final WorkerMetrics metrics;
  private final MeterRegistry registry;
  private final TaskProtection protection;
  private final JsonLog log;
  private final ScheduledExecutorService summaries;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final CompletableFuture<String> fatal = new CompletableFuture<>();
  private long lastProcessed;
  private final InstantSource clock;
  private Instant lastSummary;
  private QueueWorker.ShutdownReport report;

  Worker(
      WorkerSettings settings,
      SqsClient sqs,
      MessageHandler handler,
      MeterRegistry registry,
      WorkerTracing tracing,
      JsonLog log,
      InstantSource systemClock) {
    this.settings = settings;
    // Everything the worker times is time that passed, not what the clock says: see SteadyClock.
    this.clock = SteadyClock.startingAt(systemClock);
    this.lastSummary = clock.instant();
    this.registry = registry;
    this.log = log;
    this.metrics = new WorkerMetrics(registry, settings.queueName());
    Duration visibility = visibilityTimeout(sqs, settings.queueUrl(), log);
    this.engine =
        new QueueWorker(
            sqs, settings, handler, metrics, tracing, log, visibility, clock, fatal::complete);
    this.protection =
        settings
            .ecsAgentUri()
            .<TaskProtection>map(
                uri ->
                    new EcsAgentTaskProtection(
                        uri, engine::busy, Duration.ofSeconds(2), log, clock))
            .orElse(TaskProtection.NONE);
    this.summaries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "summary"));
  }

  /**
   * Starts the worker with a handler, for embedding (the local run, tests). The tracing may be
   * shared by several workers; its owner closes it after they have stopped.
   */
  public static Worker start(
      WorkerSettings settings,
      SqsClient sqs,
      MessageHandler handler,
      MeterRegistry registry,
      WorkerTracing tracing,
      JsonLog log) {
    return start(settings, sqs, handler, registry, tracing, log, InstantSource.system());
  }

  /**
   * The same on {@code clock} (the system's in production, one a test steps), read once at start:
   * what the worker holds, waits for and retries is timed by the time that passes after that.
   */
  static Worker start(
      WorkerSettings settings,
      SqsClient sqs,
      MessageHandler handler,
      MeterRegistry registry,
      WorkerTracing tracing,
      JsonLog log,
      InstantSource clock) {
    Worker worker = new Worker(settings, sqs, handler, registry, tracing, log, clock);
    worker.start();
    return worker;
  }

  /** Starts the worker tracing with the X-Ray SDK's {@code recorder}. */
  public static Worker start(
      WorkerSettings settings,
      SqsClient sqs,
      MessageHandler handler,
      MeterRegistry registry,
      AWSXRayRecorder recorder,
      JsonLog log) {
    return start(settings, sqs, handler, registry, WorkerTracing.xray(recorder), log);
  }

  void start() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("queueUrl", settings.queueUrl());
    fields.put("concurrency", settings.concurrency());
    fields.put("shutdownSeconds", settings.shutdownBudget().toSeconds());
    fields.put("maxProcessingSeconds", settings.maxProcessing().toSeconds());
    fields.put("receiveWaitSeconds", settings.receiveWaitSeconds());
    fields.put("metricsEnabled", settings.metricsEnabled());
    fields.put("metricsNamespace", settings.metricsNamespace());
    fields.put("taskProtection", settings.ecsAgentUri().isPresent());
    fields.put("tracing", settings.tracing().value());
    log.info("start", fields);
    engine.start();
    protection.start();
    summaries.scheduleAtFixedRate(
        this::summary, SUMMARY_EVERY.toMillis(), SUMMARY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void summary() {
    Instant now = clock.instant();
    long processed = metrics.processedCount();
    double seconds = Math.max(0.001, Duration.between(lastSummary, now).toMillis() / 1000.0);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("processed", processed);
    fields.put("failed", metrics.failedCount());
    fields.put("inProgress", metrics.inProgress());
    fields.put("ratePerSecond", Math.round((processed - lastProcessed) / seconds * 10) / 10.0);
    log.info("summary", fields);
    lastProcessed = processed;
    lastSummary = now;
  }

  /** Graceful stop (what SIGTERM triggers): see {@link QueueWorker#shutdown()}. Idempotent. */
  public synchronized QueueWorker.ShutdownReport stop() {
    if (report != null) {
      return report;
    }
    // The stop owns the task's protection from here: handing the messages back leaves the worker
    // idle, and the protection's own ticks would release it then, before the report below.
    protection.holdUntilClose();
    report = engine.shutdown();
    summaries.shutdownNow();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("finishedAfterSigterm", report.finished());
    fields.put("released", report.released());
    fields.put("releaseFailed", report.releaseFailed());
    fields.put("withinBudget", report.withinBudget());
    fields.put("processed", metrics.processedCount());
    fields.put("failed", metrics.failedCount());
    log.info("shutdown", fields);
    // After the report, not before: releasing the protection waits on the ECS agent (up to 2 s to
    // connect and 3 s for its answer), the last publish on CloudWatch (at most
    // WorkerMetrics.PUBLISH_WAIT), and ECS's kill may come first.
    protection.close();
    registry.close();
    stopped.complete(null);
    return report;
  }

  public void awaitStopped() throws InterruptedException {
    try {
      stopped.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Completes with the reason when the worker hit an error no retry can mend (for example
   * AccessDenied on the queue): the process should stop it and exit non-zero, so that ECS replaces
   * the task; the local run replaces the worker.
   */
  public CompletionStage<String> fatal() {
    return fatal;
  }

  /**
   * Waits until the worker is stopped (empty) or hits a fatal error (its reason), whichever comes
   * first.
   */
  public Optional<String> awaitStoppedOrFatal() throws InterruptedException {
    CompletableFuture<Optional<String>> either =
        stopped
            .<Optional<String>>thenApply(done -> Optional.empty())
            .applyToEither(fatal.thenApply(Optional::of), outcome -> outcome);
    try {
      return either.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Whether it holds messages: a scale-in should stop idle workers first. */
  public boolean busy() {
    return engine.busy();
  }

  public long processed() {
    return metrics.processedCount();
  }

  public long failed() {
    return metrics.failedCount();
  }

  /**
   * The queue's visibility timeout, read before anything is received. An error that passes
   * (throttling, 5xx, network) is waited out with the receive loops' backoff, as they wait it out:
   * every task of a scale-out reads the queue at once, and dying on it would stop them all. One no
   * retry can mend (the queue does not exist, access denied) is thrown for the process to report.
   */
  private static Duration visibilityTimeout(SqsClient sqs, String queueUrl, JsonLog log) {
    ReceiveBackoff backoff = ReceiveBackoff.jittered();
    while (true) {
      String value;
      try {
        value =
            sqs.getQueueAttributes(
                    r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT);
      } catch (SdkException e) {
        if (!SqsErrors.isRetryable(e)) {
          throw e;
        }
        Duration wait = backoff.next();
        log.warn(
            "start-failed",
            Map.of(
                "error",
                "GetQueueAttributes: " + ReceiveBackoff.describe(e),
                "retryInMillis",
                wait.toMillis()));
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        continue;
      }
      long seconds = value == null ? 30 : Long.parseLong(value);
      return Duration.ofSeconds(Math.max(2, seconds));
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
