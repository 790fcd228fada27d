package dev.queuescaler.worker;

import dev.queuescaler.testsupport.DeadLetteredQueue;
import dev.queuescaler.testsupport.ElasticMq;
import java.time.InstantSource;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMQ with a client and the queue helpers the worker tests need. */
final class LocalQueue implements AutoCloseable {

  final ElasticMq server = new ElasticMq();
  final SqsClient sqs = client(server.endpoint());

  /** An SQS client for a local endpoint (ElasticMQ, or a proxy in front of it). */
  static SqsClient client(java.net.URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
        .build();
  }

  /**
   * A worker as the tests run it: settings from {@code extraEnv} on top of QUEUE_URL, a short
   * shutdown budget and no CloudWatch; traces to {@code xrayDaemon}, JSON logs into {@code logs}.
   */
  static Worker startWorker(
      SqsClient sqs,
      String queueUrl,
      MessageHandler handler,
      Map<String, String> extraEnv,
      io.micrometer.core.instrument.MeterRegistry registry,
      String xrayDaemon,
      java.io.ByteArrayOutputStream logs)
      throws SettingsException {
    return startWorker(
        sqs, queueUrl, handler, extraEnv, registry, xrayDaemon, logs, InstantSource.system());
  }

  /** The same, on {@code clock} instead of the system's (a clock the test steps). */
  static Worker startWorker(
      SqsClient sqs,
      String queueUrl,
      MessageHandler handler,
      Map<String, String> extraEnv,
      io.micrometer.core.instrument.MeterRegistry registry,
      String xrayDaemon,
      java.io.ByteArrayOutputStream logs,
      InstantSource clock)
      throws SettingsException {
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("QUEUE_URL", queueUrl);
    env.putIfAbsent("WORKER_SHUTDOWN_SECONDS", "6");
    env.put("METRICS_ENABLED", "false");
    return Worker.start(
        WorkerSettings.fromEnvironment(env),
        sqs,
        handler,
        registry,
        WorkerTracing.xray(WorkerTracing.recorder(xrayDaemon)),
        new JsonLog(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8)),
        clock);
  }

  /** A queue with a dead-letter queue after {@code maxReceiveCount} receives; returns both URLs. */
  String[] createWithDlq(String name, int visibilitySeconds, int maxReceiveCount) {
    DeadLetteredQueue queue =
        DeadLetteredQueue.create(sqs, name, visibilitySeconds, maxReceiveCount);
    return new String[] {queue.queueUrl(), queue.deadLetterQueueUrl()};
  }

  long count(String queueUrl, QueueAttributeName attribute) {
    return Long.parseLong(
        sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(attribute))
            .attributes()
            .get(attribute));
  }

  long visible(String queueUrl) {
    return count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
  }

  long inFlight(String queueUrl) {
    return count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
  }

  void send(String queueUrl, String body) {
    sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
  }

  static String work(int workMillis, boolean fail) {
    return new dev.queuescaler.message.WorkMessage(
            java.util.UUID.randomUUID().toString(), workMillis, fail, "x")
        .toJson();
  }

  static void eventually(java.util.function.BooleanSupplier condition, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    sqs.close();
    server.close();
  }
}
