package dev.queuescaler.worker;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * The worker's meters, tagged with the queue's name: messages processed and failed (counters),
 * processing time and message age at receive (timers), messages in progress (gauge), crashed
 * messages, lost heartbeats and messages given up past the processing bound (counters).
 */
final class WorkerMetrics {

  private final Counter processed;
  private final Counter failed;
  private final Counter crashed;
  private final Counter heartbeatLost;
  private final Counter timedOut;
  private final Timer processing;
  private final Timer age;
  private final AtomicInteger inProgress = new AtomicInteger();
  // Running totals for the summary log and shutdown report: a push registry's counter reports
  // only its last step, not the total.
  private final AtomicLong processedTotal = new AtomicLong();
  private final AtomicLong failedTotal = new AtomicLong();

  WorkerMetrics(MeterRegistry registry, String queueName) {
    processed =
        Counter.builder("worker.messages.processed").tag("queue", queueName).register(registry);
    failed = Counter.builder("worker.messages.failed").tag("queue", queueName).register(registry);
    crashed = Counter.builder("worker.messages.crashed").tag("queue", queueName).register(registry);
    heartbeatLost =
        Counter.builder("worker.heartbeat.lost").tag("queue", queueName).register(registry);
    timedOut =
        Counter.builder("worker.messages.timed.out").tag("queue", queueName).register(registry);
    processing = Timer.builder("worker.processing.time").tag("queue", queueName).register(registry);
    age = Timer.builder("worker.message.age").tag("queue", queueName).register(registry);
    Gauge.builder("worker.messages.in.progress", inProgress, AtomicInteger::get)
        .tag("queue", queueName)
        .register(registry);
  }

  /**
   * How long a publish waits for CloudWatch's answer to each PutMetricData. The stop's last publish
   * comes after the report and the task-protection release, in what {@link
   * QueueWorker#AFTER_GIVE_BACK} (5 s) keeps: it fits when the ECS agent answers the release; when
   * neither answers, ECS's kill may cut it, never the report. Only the wait is bounded: an
   * unanswered call goes on in the client.
   */
  static final Duration PUBLISH_WAIT = Duration.ofSeconds(3);

  /**
   * CloudWatch, one-minute step, through the async client Micrometer's registry needs; each publish
   * waits at most {@link #PUBLISH_WAIT} for CloudWatch.
   */
  static CloudWatchMeterRegistry cloudWatch(String namespace, CloudWatchAsyncClient client) {
    CloudWatchConfig config =
        new CloudWatchConfig() {
          @Override
          public String get(String key) {
            return null;
          }

          @Override
          public String namespace() {
            return namespace;
          }

          @Override
          public Duration step() {
            return Duration.ofMinutes(1);
          }

          // Deprecated for registries whose HTTP client takes the timeout; Micrometer's CloudWatch
          // registry (1.17) still waits this long, 10 s unless set, for each PutMetricData answer.
          @Override
          @SuppressWarnings("deprecation")
          public Duration readTimeout() {
            return PUBLISH_WAIT;
          }
        };
    return new CloudWatchMeterRegistry(config, Clock.SYSTEM, client);
  }

  void received(Duration ageAtReceive) {
    if (!ageAtReceive.isNegative()) {
      age.record(ageAtReceive);
    }
  }

  void started() {
    inProgress.incrementAndGet();
  }

  void finished(Duration took, boolean succeeded) {
    inProgress.decrementAndGet();
    processing.record(took);
    (succeeded ? processed : failed).increment();
    (succeeded ? processedTotal : failedTotal).incrementAndGet();
  }

  /** Processing crashed outside the handler: the message counts as failed. */
  void crashed() {
    crashed.increment();
    failed.increment();
    failedTotal.incrementAndGet();
  }

  /** SQS refused a heartbeat, or it expired: the message is no longer this worker's. */
  void heartbeatLost() {
    heartbeatLost.increment();
  }

  /** A message was held past the processing bound and given up: its handler is stuck or slow. */
  void timedOut() {
    timedOut.increment();
  }

  long processedCount() {
    return processedTotal.get();
  }

  long failedCount() {
    return failedTotal.get();
  }

  int inProgress() {
    return inProgress.get();
  }
}
