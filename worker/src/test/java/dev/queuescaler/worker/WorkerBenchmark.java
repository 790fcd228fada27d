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
 * concurrency, in the same run, alternating; and the generator's send rate. Run by {@code
 * worker/bench/run}.
 */
public final class WorkerBenchmark {

  private static final int MESSAGES = 20_000;
  private static final int CONCURRENCY = 4;
  private static final int ROUNDS = 3;

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
        worker.add(workerRun(queue, workerQueue, xray.address()));
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
                MESSAGES);
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
                  List<Message> messages =
                      queue
                          .sqs
                          .receiveMessage(
                              r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                          .messages();
                  if (messages.isEmpty()) {
                    continue;
                  }
                  List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                  for (int m = 0; m < messages.size(); m++) {
                    entries.add(
                        DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(m))
                            .receiptHandle(messages.get(m).receiptHandle())
                            .build());
                  }
                  queue.sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
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

  private static double workerRun(LocalQueue queue, String queueUrl, String daemon)
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
    while (worker.processed() < MESSAGES) {
      Thread.sleep(5);
    }
    double rate = MESSAGES / seconds(start);
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
