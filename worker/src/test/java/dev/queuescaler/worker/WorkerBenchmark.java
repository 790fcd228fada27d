package dev.queuescaler.worker;

import dev.queuescaler.generator.GeneratorTestAccess;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Worker throughput against ElasticMQ with {@code workMillis} 0: the worker with tracing (every
 * message sampled) and metrics on, next to a bare receive-and-delete loop with the same
 * concurrency, in the same run, alternating; and the generator's send rate. Then heavy-tailed work
 * (one message in twenty 20x the median) through the worker next to the batch-at-a-time loop it
 * replaced, where a slow message held its batch-mates and its loop. Run by {@code
 * worker/bench/run}.
 */
public final class WorkerBenchmark {

  private static final int MESSAGES = 20_000;
  private static final int CONCURRENCY = 4;
  private static final int ROUNDS = 3;

  /** Heavy-tailed work: most messages take MEDIAN_MILLIS, one in twenty takes 20x that. */
  private static final int TAILED_MESSAGES = 4_000;

  private static final int MEDIAN_MILLIS = 20;
  private static final int SLOW_MILLIS = 20 * MEDIAN_MILLIS;
  private static final double SLOW_SHARE = 0.05;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "worker/target/bench/results.md");
    List<Double> generator = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> worker = new ArrayList<>();
    try (LocalQueue queue = new LocalQueue();
        dev.queuescaler.testsupport.XRayDaemonListener xray =
            new dev.queuescaler.testsupport.XRayDaemonListener()) {
      for (int round = 0; round < ROUNDS; round++) {
        String bareQueue = queue.createWithDlq("bare-" + round, 30, 5)[0];
        String workerQueue = queue.createWithDlq("worker-" + round, 30, 5)[0];

        long start = System.nanoTime();
        GeneratorTestAccess.sendTraced(queue.sqs, bareQueue, MESSAGES, xray.address());
        generator.add(MESSAGES / seconds(start));
        GeneratorTestAccess.sendTraced(queue.sqs, workerQueue, MESSAGES, xray.address());

        bare.add(bareLoop(queue, bareQueue));
        worker.add(workerRun(queue, workerQueue, xray.address(), MESSAGES));
      }
    }
    List<Double> batchLoop = new ArrayList<>();
    List<Double> tailedWorker = new ArrayList<>();
    try (LocalQueue queue = new LocalQueue();
        dev.queuescaler.testsupport.XRayDaemonListener xray =
            new dev.queuescaler.testsupport.XRayDaemonListener()) {
      for (int round = 0; round < ROUNDS; round++) {
        String batchQueue = queue.createWithDlq("tailed-batch-" + round, 30, 5)[0];
        String workerQueue = queue.createWithDlq("tailed-worker-" + round, 30, 5)[0];
        sendTailed(queue, batchQueue, round);
        sendTailed(queue, workerQueue, round);
        batchLoop.add(batchAtATimeLoop(queue, batchQueue));
        tailedWorker.add(workerRun(queue, workerQueue, xray.address(), TAILED_MESSAGES));
      }
    }
    double ratio = median(worker) / median(bare);
    String table =
        "| measurement | median | min | max |\n|---|---|---|---|\n"
            + row("generator, messages sent/s (10 per batch, 8 calls in flight)", generator)
            + row(
                "bare SDK loop, messages/s (receive 10, delete batch, " + CONCURRENCY + " loops)",
                bare)
            + row(
                "worker, messages/s (tracing every message, metrics on, " + CONCURRENCY + " loops)",
                worker)
            + String.format(Locale.ROOT, "| worker / bare loop | %.2f | | |%n", ratio)
            + String.format(
                Locale.ROOT,
                "%nMachine: %d cores, Java %s; %d rounds of %,d messages each, workMillis 0.%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                ROUNDS,
                MESSAGES)
            + String.format(
                Locale.ROOT,
                "%nHeavy-tailed work (%,d messages a round: %d ms each, %.0f %% of them %d ms):%n%n",
                TAILED_MESSAGES,
                MEDIAN_MILLIS,
                SLOW_SHARE * 100,
                SLOW_MILLIS)
            + "| measurement | median | min | max |\n|---|---|---|---|\n"
            + row(
                "batch-at-a-time loop, messages/s (10 at once, delete after the slowest, "
                    + CONCURRENCY
                    + " loops)",
                batchLoop)
            + row(
                "worker, messages/s (a slot frees per message, deletes as each finishes, "
                    + CONCURRENCY
                    + " loops)",
                tailedWorker)
            + String.format(
                Locale.ROOT,
                "| worker / batch-at-a-time loop | %.2f | | |%n",
                median(tailedWorker) / median(batchLoop));
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.print(table);
  }

  private static double bareLoop(LocalQueue queue, String queueUrl) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    List<Thread> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < CONCURRENCY; i++) {
      Thread loop =
          new Thread(
              () -> {
                while (done.get() < MESSAGES) {
                  List<Message> messages = receiveTen(queue, queueUrl);
                  if (messages.isEmpty()) {
                    continue;
                  }
                  deleteBatch(queue, queueUrl, messages);
                  done.addAndGet(messages.size());
                }
              });
      loops.add(loop);
      loop.start();
    }
    for (Thread loop : loops) {
      loop.join();
    }
    return MESSAGES / seconds(start);
  }

  /** Heavy-tailed work messages, the same seeded mix for both contenders of a round. */
  private static void sendTailed(LocalQueue queue, String queueUrl, int round) {
    java.util.Random random = new java.util.Random(round);
    List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> batch =
        new ArrayList<>();
    for (int i = 0; i < TAILED_MESSAGES; i++) {
      int millis = random.nextDouble() < SLOW_SHARE ? SLOW_MILLIS : MEDIAN_MILLIS;
      batch.add(
          software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(batch.size()))
              .messageBody(
                  new dev.queuescaler.message.WorkMessage("m" + i, millis, false, "x").toJson())
              .build());
      if (batch.size() == 10 || i == TAILED_MESSAGES - 1) {
        List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> entries =
            List.copyOf(batch);
        queue.sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        batch.clear();
      }
    }
  }

  /**
   * The design the worker had before: receive ten, work on them concurrently, delete the batch when
   * the slowest is done, then receive again.
   */
  private static double batchAtATimeLoop(LocalQueue queue, String queueUrl)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(CONCURRENCY * 10);
    SimulatedWork work = new SimulatedWork();
    List<Thread> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < CONCURRENCY; i++) {
      Thread loop =
          new Thread(
              () -> {
                while (done.get() < TAILED_MESSAGES) {
                  List<Message> messages = receiveTen(queue, queueUrl);
                  List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                  for (Message m : messages) {
                    running.add(
                        pool.submit(
                            () -> {
                              work.handle(
                                  new ReceivedMessage(
                                      m.messageId(),
                                      m.body(),
                                      java.util.Optional.empty(),
                                      java.util.Optional.empty()));
                              return null;
                            }));
                  }
                  for (java.util.concurrent.Future<?> f : running) {
                    try {
                      f.get();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                  if (messages.isEmpty()) {
                    continue;
                  }
                  deleteBatch(queue, queueUrl, messages);
                  done.addAndGet(messages.size());
                }
              });
      loops.add(loop);
      loop.start();
    }
    for (Thread loop : loops) {
      loop.join();
    }
    pool.shutdownNow();
    return TAILED_MESSAGES / seconds(start);
  }

  /** One ReceiveMessage of up to ten, as both bare loops receive. */
  private static List<Message> receiveTen(LocalQueue queue, String queueUrl) {
    return queue
        .sqs
        .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
        .messages();
  }

  /** One DeleteMessageBatch for a received batch, as both bare loops delete. */
  private static void deleteBatch(LocalQueue queue, String queueUrl, List<Message> messages) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(m))
              .receiptHandle(messages.get(m).receiptHandle())
              .build());
    }
    queue.sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
  }

  private static double workerRun(LocalQueue queue, String queueUrl, String daemon, int messages)
      throws Exception {
    var cloudWatch = new CloudWatchMetricsTest.CapturingCloudWatch();
    long start = System.nanoTime();
    Worker worker =
        Worker.start(
            WorkerSettings.fromEnvironment(
                Map.of(
                    "QUEUE_URL",
                    queueUrl,
                    "WORKER_CONCURRENCY",
                    Integer.toString(CONCURRENCY),
                    "WORKER_SHUTDOWN_SECONDS",
                    "6")),
            queue.sqs,
            new SimulatedWork(),
            WorkerMetrics.cloudWatch("QueueWorker", cloudWatch),
            WorkerTracing.recorder(daemon),
            new JsonLog(new PrintStream(OutputStream.nullOutputStream())));
    while (worker.processed() < messages) {
      Thread.sleep(5);
    }
    double rate = messages / seconds(start);
    worker.stop();
    return rate;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String row(String name, List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(
        Locale.ROOT,
        "| %s | %,.0f | %,.0f | %,.0f |%n",
        name,
        median(values),
        sorted.get(0),
        sorted.get(sorted.size() - 1));
  }
}
