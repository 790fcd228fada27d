package dev.queuescaler.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.message.WorkMessage;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The chaos run behind "nothing lost": N messages (some failing, some poison, some 20x slow)
 * through several worker processes (separate JVMs, the real jar), one of which gets SIGTERM every
 * few seconds and is replaced at once, as ECS replaces a stopped task. Every message is traced
 * (sampled), so each delivery that reaches its end sends a segment to a local X-Ray listener: the
 * run counts deliveries per message and says why a message ran twice. Run by {@code
 * worker/bench/chaos}; a benchmark, not a test.
 *
 * <p>Arguments: {@code OUT [messages] [workers] [killEverySeconds] [sendSeconds]}.
 */
public final class ChaosRun {

  private static final double FAILING = 0.02;
  private static final double POISON = 0.01;
  private static final double SLOW = 0.02;
  private static final int MEDIAN_MILLIS = 100;
  private static final int SLOW_MILLIS = 20 * MEDIAN_MILLIS;
  private static final int VISIBILITY_SECONDS = 10;
  private static final int MAX_RECEIVES = 3;
  private static final int SHUTDOWN_SECONDS = 5;

  private enum Kind {
    NORMAL,
    SLOW,
    FAILING,
    POISON
  }

  /** One delivery of a message that reached its end: how it went, and SQS's receive count. */
  private record Delivery(
      int receiveCount, boolean processedOk, boolean deleted, boolean interrupted) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "worker/target/bench/chaos.md");
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int killEvery = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int sendSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 120;
    Path jar = Path.of(System.getProperty("worker.jar", "worker/target/worker.jar"));
    Path logs = Files.createDirectories(out.getParent()).resolve("chaos-workers.log");
    Files.deleteIfExists(logs);

    Map<String, Kind> kinds = new ConcurrentHashMap<>();
    Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
    Random random = new Random(7);
    long started = System.nanoTime();
    int kills = 0;
    try (LocalQueue queue = new LocalQueue();
        XRayDaemonListener xray = new XRayDaemonListener()) {
      xray.onDocument(document -> record(document, deliveries));
      String[] urls = queue.createWithDlq("chaos", VISIBILITY_SECONDS, MAX_RECEIVES);
      List<Process> running = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        running.add(startWorker(jar, queue, urls[0], xray.address(), logs));
      }

      long sendStart = System.nanoTime();
      long nextKill = System.nanoTime() + TimeUnit.SECONDS.toNanos(killEvery);
      int sent = 0;
      while (true) {
        long elapsed = System.nanoTime() - sendStart;
        int due =
            (int)
                Math.min(
                    messages, (long) messages * elapsed / TimeUnit.SECONDS.toNanos(sendSeconds));
        while (sent < due) {
          int batch = Math.min(10, due - sent);
          send(queue, urls[0], batch, random, kinds);
          sent += batch;
        }
        boolean drained = sent == messages && queue.visible(urls[0]) + queue.inFlight(urls[0]) == 0;
        if (drained || elapsed > TimeUnit.MINUTES.toNanos(9)) {
          break;
        }
        if (System.nanoTime() >= nextKill) {
          Process victim = running.remove(random.nextInt(running.size()));
          victim.destroy(); // SIGTERM, as ECS stops a task
          running.add(startWorker(jar, queue, urls[0], xray.address(), logs));
          kills++;
          nextKill += TimeUnit.SECONDS.toNanos(killEvery);
        }
        Thread.sleep(50);
      }
      for (Process worker : running) {
        worker.destroy();
      }
      for (Process worker : running) {
        worker.waitFor(SHUTDOWN_SECONDS + 20L, TimeUnit.SECONDS);
      }
      Thread.sleep(1_000); // the last datagrams
      Map<Kind, Long> deadLettered = drainByKind(queue, urls[1], kinds);
      String report =
          report(
              messages,
              workers,
              killEvery,
              kills,
              kinds,
              deliveries,
              deadLettered,
              queue.visible(urls[0]),
              queue.inFlight(urls[0]),
              (System.nanoTime() - started) / 1e9);
      Files.writeString(out, report);
      System.out.print(report);
    }
  }

  /** Receives every message of the dead-letter queue and counts them by the kind sent. */
  private static Map<Kind, Long> drainByKind(
      LocalQueue queue, String dlqUrl, Map<String, Kind> kinds) {
    Map<Kind, Long> byKind = new java.util.EnumMap<>(Kind.class);
    while (true) {
      List<software.amazon.awssdk.services.sqs.model.Message> batch =
          queue
              .sqs
              .receiveMessage(
                  r ->
                      r.queueUrl(dlqUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(600))
              .messages();
      if (batch.isEmpty()) {
        return byKind;
      }
      batch.forEach(m -> byKind.merge(kinds.get(m.messageId()), 1L, Long::sum));
    }
  }

  private static Process startWorker(
      Path jar, LocalQueue queue, String queueUrl, String daemon, Path logs) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of("java", "-jar", jar.toString()));
    Map<String, String> env = builder.environment();
    env.put("QUEUE_URL", queueUrl);
    env.put("AWS_ENDPOINT_URL_SQS", queue.server.endpoint().toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "chaos");
    env.put("AWS_SECRET_ACCESS_KEY", "chaos");
    env.put("WORKER_CONCURRENCY", "4");
    env.put("WORKER_SHUTDOWN_SECONDS", Integer.toString(SHUTDOWN_SECONDS));
    env.put("METRICS_ENABLED", "false");
    env.put("AWS_XRAY_DAEMON_ADDRESS", daemon);
    return builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.toFile()))
        .start();
  }

  private static void send(
      LocalQueue queue, String queueUrl, int count, Random random, Map<String, Kind> kinds) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    Map<String, Kind> byEntry = new HashMap<>();
    for (int i = 0; i < count; i++) {
      double draw = random.nextDouble();
      Kind kind =
          draw < FAILING
              ? Kind.FAILING
              : draw < FAILING + POISON
                  ? Kind.POISON
                  : draw < FAILING + POISON + SLOW ? Kind.SLOW : Kind.NORMAL;
      String body =
          kind == Kind.POISON
              ? "poison: not a work message"
              : new WorkMessage(
                      java.util.UUID.randomUUID().toString(),
                      kind == Kind.SLOW ? SLOW_MILLIS : MEDIAN_MILLIS,
                      kind == Kind.FAILING,
                      "x")
                  .toJson();
      String id = Integer.toString(i);
      byEntry.put(id, kind);
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(id)
              .messageBody(body)
              .messageSystemAttributes(
                  Map.of(
                      MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                      MessageSystemAttributeValue.builder()
                          .dataType("String")
                          .stringValue(traceHeader(random))
                          .build()))
              .build());
    }
    List<SendMessageBatchResultEntry> sent =
        queue.sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).successful();
    if (sent.size() != count) {
      throw new IllegalStateException("ElasticMQ refused part of a batch");
    }
    sent.forEach(entry -> kinds.put(entry.messageId(), byEntry.get(entry.id())));
  }

  /** A sampled trace header, so that every delivery of the message sends its segment. */
  private static String traceHeader(Random random) {
    return String.format(
        Locale.ROOT,
        "Root=1-%08x-%024x;Parent=%016x;Sampled=1",
        System.currentTimeMillis() / 1000,
        new java.math.BigInteger(95, random),
        random.nextLong() & Long.MAX_VALUE);
  }

  private static void record(JsonNode segment, Map<String, List<Delivery>> deliveries) {
    if (!segment.path("name").asText().equals(WorkerTracing.SEGMENT)) {
      return;
    }
    String messageId = segment.at("/annotations/messageId").asText();
    boolean processedOk = false;
    boolean deleted = false;
    boolean interrupted = false;
    for (JsonNode sub : segment.path("subsegments")) {
      String name = sub.path("name").asText();
      if (name.equals("process")) {
        processedOk = !sub.path("fault").asBoolean(false);
        interrupted = sub.toString().contains("InterruptedException");
      } else if (sub.at("/aws/operation").asText().equals("DeleteMessageBatch")) {
        deleted = !sub.path("fault").asBoolean(false);
      }
    }
    deliveries
        .computeIfAbsent(messageId, id -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(
            new Delivery(
                segment.at("/annotations/receiveCount").asInt(),
                processedOk,
                deleted,
                interrupted));
  }

  private static String report(
      int messages,
      int workers,
      int killEvery,
      int kills,
      Map<String, Kind> kinds,
      Map<String, List<Delivery>> deliveries,
      Map<Kind, Long> deadLetteredByKind,
      long visible,
      long inFlight,
      double seconds) {
    long failingOrPoison =
        kinds.values().stream().filter(k -> k == Kind.FAILING || k == Kind.POISON).count();
    long deadLettered = deadLetteredByKind.values().stream().mapToLong(Long::longValue).sum();
    long goodDeadLettered =
        deadLetteredByKind.getOrDefault(Kind.NORMAL, 0L)
            + deadLetteredByKind.getOrDefault(Kind.SLOW, 0L);
    long tracedDeletes = 0;
    long neverDeliveredToAnEnd = 0;
    Map<String, Long> duplicates = new LinkedHashMap<>();
    String atDeadline = "work still running at a shutdown deadline (given back)";
    String notDeleted = "processed, then not deleted (visibility expiry or a failed delete)";
    duplicates.put(atDeadline, 0L);
    duplicates.put(notDeleted, 0L);
    long receivedAgainUnstarted = 0;
    for (Map.Entry<String, Kind> message : kinds.entrySet()) {
      List<Delivery> seen;
      List<Delivery> traced = deliveries.getOrDefault(message.getKey(), List.of());
      synchronized (traced) {
        seen = new ArrayList<>(traced);
      }
      if (seen.stream().anyMatch(Delivery::deleted)) {
        tracedDeletes++;
      }
      if (seen.isEmpty()) {
        neverDeliveredToAnEnd++;
      }
      Kind kind = message.getValue();
      if (kind == Kind.FAILING || kind == Kind.POISON || seen.isEmpty()) {
        continue; // failing and poison are delivered up to maxReceiveCount times by design
      }
      // Receives that never reached a handler's end left no segment: given back unstarted.
      int receives = seen.stream().mapToInt(Delivery::receiveCount).max().orElse(1);
      receivedAgainUnstarted += Math.max(0, receives - seen.size());
      if (seen.size() > 1) {
        duplicates.merge(
            seen.stream().anyMatch(Delivery::interrupted) ? atDeadline : notDeleted, 1L, Long::sum);
      }
    }
    // SQS is the ground truth: a message neither in the queue (visible or in flight) nor in the
    // dead-letter queue was deleted, and the worker deletes only after success.
    long deleted = messages - deadLettered - visible - inFlight;
    long goodMessages = messages - failingOrPoison;
    long lost = goodMessages - deleted - visible - goodDeadLettered;
    StringBuilder table = new StringBuilder();
    table.append("| measurement | count |\n|---|---|\n");
    row(table, "arrived (sent)", messages);
    row(table, "deleted after success", deleted);
    row(table, "- of those, deletes seen in a traced delivery", tracedDeletes);
    row(table, "in the dead-letter queue", deadLettered);
    row(
        table,
        "- failing or poison (sent: " + failingOrPoison + ")",
        deadLettered - goodDeadLettered);
    row(table, "- good messages dead-lettered (must be 0)", goodDeadLettered);
    row(table, "still visible", visible);
    row(table, "still in flight (must be 0)", inFlight);
    row(table, "good messages neither done, dead-lettered nor visible (must be 0)", lost);
    long totalDuplicates = duplicates.values().stream().mapToLong(Long::longValue).sum();
    row(table, "processed more than once", totalDuplicates);
    duplicates.forEach((cause, count) -> row(table, "- " + cause, count));
    row(
        table,
        "received again but processed once (received as a stop began, given back unstarted)",
        receivedAgainUnstarted);
    row(table, "messages with no traced delivery (X-Ray datagrams lost)", neverDeliveredToAnEnd);
    table.append(
        String.format(
            Locale.ROOT,
            "%nA run of %.0f s: %d worker processes (4 loops each), one stopped with SIGTERM every"
                + " %d s and replaced at once (%d stops); messages %.0f %% failing, %.0f %% poison,"
                + " %.0f %% slow (%d ms, the rest %d ms); visibility %d s, maxReceiveCount %d,"
                + " shutdown budget %d s. Dead-lettered %s failing + poison.%n",
            seconds,
            workers,
            killEvery,
            kills,
            FAILING * 100,
            POISON * 100,
            SLOW * 100,
            SLOW_MILLIS,
            MEDIAN_MILLIS,
            VISIBILITY_SECONDS,
            MAX_RECEIVES,
            SHUTDOWN_SECONDS,
            deadLettered == failingOrPoison && goodDeadLettered == 0 ? "equals" : "DIFFERS FROM"));
    return table.toString();
  }

  private static void row(StringBuilder table, String name, long count) {
    table.append(String.format(Locale.ROOT, "| %s | %,d |%n", name, count));
  }

  private ChaosRun() {}
}
