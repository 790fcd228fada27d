package dev.queuescaler.local;

import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.cycle.ServiceScaler;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.worker.JsonLog;
import dev.queuescaler.worker.MessageHandler;
import dev.queuescaler.worker.Worker;
import dev.queuescaler.worker.WorkerSettings;
import dev.queuescaler.worker.WorkerTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Local "tasks": the scaler's {@link ServiceScaler} port over worker instances in this JVM. A new
 * task starts after the launch delay (like a Fargate task); scale-in stops launching ones first,
 * then idle ones, then busy ones, each with the graceful stop that SIGTERM triggers.
 */
final class LocalFleet implements ServiceScaler, AutoCloseable {

  /** Receive loops per local task; the scaler's task-concurrency follows from it. */
  static final int WORKER_CONCURRENCY = 2;

  /** One task: asked for at, running from (or not yet), its worker. */
  private static final class Task {
    final Instant requestedAt;
    Worker worker;
    boolean cancelled;

    Task(Instant requestedAt) {
      this.requestedAt = requestedAt;
    }
  }

  private final SqsClient sqs;
  private final String queueUrl;
  private final Duration launchDelay;
  private final MessageHandler handler;
  private final WorkerTracing tracing;
  private final JsonLog workerLog;
  private final Clock clock;
  private final ScheduledExecutorService launches = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService stops = Executors.newCachedThreadPool();
  private final List<Task> tasks = new ArrayList<>();
  private int desired;
  private double taskSeconds;
  private long processedByStopped;

  LocalFleet(
      SqsClient sqs,
      String queueUrl,
      Duration launchDelay,
      MessageHandler handler,
      WorkerTracing tracing,
      JsonLog workerLog,
      Clock clock) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.launchDelay = launchDelay;
    this.handler = handler;
    // One tracing (one emitter or exporter) for every local worker, as one container has one;
    // its owner closes it after the fleet.
    this.tracing = tracing;
    this.workerLog = workerLog;
    this.clock = clock;
  }

  @Override
  public synchronized ServiceSnapshot describe(ServiceRef service) {
    int running = (int) tasks.stream().filter(t -> t.worker != null).count();
    return new ServiceSnapshot(desired, running, tasks.size() - running);
  }

  @Override
  public synchronized void setDesiredCount(ServiceRef service, int count) {
    desired = count;
    while (tasks.size() < desired) {
      Task task = new Task(clock.instant());
      tasks.add(task);
      launches.schedule(() -> launch(task), launchDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (tasks.size() > desired) {
      List<Task> order = new ArrayList<>(tasks);
      // Launching first, then idle, then busy: what task protection makes ECS do.
      order.sort(
          Comparator.comparingInt((Task t) -> t.worker == null ? 0 : t.worker.busy() ? 2 : 1));
      for (Task task : order.subList(0, tasks.size() - desired)) {
        stop(task);
      }
    }
  }

  private synchronized void launch(Task task) {
    if (task.cancelled) {
      return;
    }
    Worker worker;
    try {
      worker =
          Worker.start(
              WorkerSettings.fromEnvironment(
                  Map.of(
                      "QUEUE_URL",
                      queueUrl,
                      "WORKER_CONCURRENCY",
                      Integer.toString(WORKER_CONCURRENCY),
                      "WORKER_SHUTDOWN_SECONDS",
                      "10",
                      "METRICS_ENABLED",
                      "false")),
              sqs,
              handler,
              new SimpleMeterRegistry(),
              tracing,
              workerLog);
    } catch (Exception | Error e) {
      // Thrown inside a scheduled task, this would vanish; like ECS, log it and try again.
      workerLog.error(
          "launch-failed",
          Map.of("error", String.valueOf(e), "retryInMillis", launchDelay.toMillis()));
      launches.schedule(() -> launch(task), launchDelay.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    task.worker = worker;
    worker.fatal().thenAccept(reason -> replace(task, worker, reason));
  }

  /** A worker hit an error no retry can mend: as ECS replaces such a task, stop it, start anew. */
  private synchronized void replace(Task task, Worker worker, String reason) {
    if (task.cancelled || task.worker != worker) {
      return;
    }
    workerLog.error("worker-replaced", Map.of("reason", reason));
    task.worker = null;
    stops.submit(
        () -> {
          worker.stop();
          synchronized (this) {
            processedByStopped += worker.processed();
          }
        });
    launches.schedule(() -> launch(task), launchDelay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stop(Task task) {
    tasks.remove(task);
    task.cancelled = true;
    taskSeconds += Duration.between(task.requestedAt, clock.instant()).toMillis() / 1000.0;
    Worker worker = task.worker;
    if (worker != null) {
      stops.submit(
          () -> {
            worker.stop();
            synchronized (this) {
              processedByStopped += worker.processed();
            }
          });
    }
  }

  synchronized long processed() {
    long running =
        tasks.stream().filter(t -> t.worker != null).mapToLong(t -> t.worker.processed()).sum();
    return processedByStopped + running;
  }

  /** Task-minutes so far: from each task's request to its stop (or now), like Fargate billing. */
  synchronized double taskMinutes() {
    double open = 0;
    for (Task task : tasks) {
      open += Duration.between(task.requestedAt, clock.instant()).toMillis() / 1000.0;
    }
    return (taskSeconds + open) / 60;
  }

  @Override
  public void close() {
    synchronized (this) {
      desired = 0;
      for (Task task : new ArrayList<>(tasks)) {
        stop(task);
      }
    }
    launches.shutdownNow();
    stops.shutdown();
    try {
      stops.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
