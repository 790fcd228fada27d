package dev.queuescaler.scaler.bench;

import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbCycleLease;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.DynamoDbParameterChanges;
import dev.queuescaler.scaler.aws.DynamoDbParameterMirror;
import dev.queuescaler.scaler.aws.DynamoDbValidConfigurations;
import dev.queuescaler.scaler.aws.DynamoDbWaitingTargets;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsChangeNotices;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ParameterReadModel;
import dev.queuescaler.scaler.cycle.Pause;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.scaler.lambda.FunctionTimeout;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.tracing.ChosenTracer;
import dev.queuescaler.testsupport.FakeAwsServer;
import dev.queuescaler.testsupport.FakeAwsServer.TokenBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A fleet run the way the Lambda runs it: consecutive minutes (each invocation a schedule's minute
 * after the last, with the deployed function's deadline), 15 s sampling, and the state, the waits,
 * the parameter read model and the change records kept from minute to minute, against stand-ins
 * that throttle as AWS does by default. 1,000 targets in 10 clusters; ECS, SSM and EventBridge are
 * HTTP stand-ins that answer after 20 ms and enforce AWS's default token buckets with AWS's
 * throttling reply (HTTP 400, ThrottlingException); SQS (ElasticMQ) and DynamoDB (dynalite) are
 * local servers at local speed. Run by {@code scaler-lambda/bench/fleet}.
 */
public final class FleetBenchmark {

  static final int CLUSTERS = 10;
  static final int TARGETS = 1_000;
  static final int TUNED = 100;
  static final Duration LATENCY = Duration.ofMillis(20);

  /**
   * Each invocation's deadline: the deployed function's timeout less the spans' flush, as the
   * handler passes it.
   */
  static final Duration DEADLINE = FunctionTimeout.DEPLOYED.minus(ChosenTracer.FLUSH_TIMEOUT);

  /** The schedule's period: invocations start a minute apart, so the pacers refill between. */
  static final Duration SCHEDULE = Duration.ofMinutes(1);

  /** Targets whose queue fills (or empties) each steady minute: 5 % of the fleet. */
  static final int CHANGING = 50;

  /** Messages put on a changing target's queue: 3 tasks at the default 100 per task. */
  static final int BACKLOG = 250;

  static final String PREFIX = "/fleet";

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "scaler-lambda/target/bench/fleet.md");
    Path jar = Path.of(args.length > 1 ? args[1] : "scaler-lambda/target/scaler-lambda.jar");
    boolean withMemory = args.length > 2 && args[2].equals("--memory");
    List<Minute> minutes = new ArrayList<>();
    for (Scenario scenario : chosen(System.getProperty(ONLY, ""))) {
      minutes.addAll(scenario.run());
    }
    String table = table(minutes);
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.print(table);
    if (withMemory) {
      List<String> memoryRows = new ArrayList<>();
      for (int heapMib : new int[] {32, 64, 128}) {
        memoryRows.add(memory(jar, 100, heapMib));
      }
      String memory =
          "| targets changing their count | heap limit (-Xmx), MiB | exit | wall time, s |"
              + " decisions | failed | peak resident memory, MiB |\n"
              + "|---|---|---|---|---|---|---|\n"
              + String.join("\n", memoryRows)
              + "\n";
      Files.writeString(out.resolveSibling("fleet-memory.md"), memory);
      System.out.print("\n" + memory);
    }
  }

  /** The system property naming the scenarios to run (comma-separated); all when unset. */
  static final String ONLY = "fleet.scenarios";

  /** One scenario's minutes. */
  @FunctionalInterface
  interface Scenario {
    List<Minute> run() throws Exception;
  }

  /** Every scenario by its name, in the table's order. */
  static final Map<String, Scenario> SCENARIOS = scenarios();

  private static Map<String, Scenario> scenarios() {
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("all-keys", FleetBenchmark::allKeys);
    all.put("steady", FleetBenchmark::steady);
    all.put("at-once", () -> atOnce(100));
    all.put("storm-100", () -> storm(100));
    all.put("storm-1000", () -> storm(TARGETS));
    return java.util.Collections.unmodifiableMap(all);
  }

  /** The scenarios {@code names} lists (comma-separated), in the table's order; blank: all. */
  static List<Scenario> chosen(String names) {
    Map<String, Scenario> all = SCENARIOS;
    if (names.isBlank()) {
      return new ArrayList<>(all.values());
    }
    Set<String> wanted = new HashSet<>();
    for (String name : names.split(",")) {
      String trimmed = name.trim();
      if (!all.containsKey(trimmed)) {
        throw new IllegalArgumentException(
            "no scenario " + trimmed + " (" + ONLY + " takes: " + all.keySet() + ")");
      }
      wanted.add(trimmed);
    }
    List<Scenario> chosen = new ArrayList<>();
    all.forEach(
        (name, scenario) -> {
          if (wanted.contains(name)) {
            chosen.add(scenario);
          }
        });
    return chosen;
  }

  /**
   * 1,000 targets written with every key (23: 2,300 pages, 115 s of the paced share), the read
   * model empty: the first minutes of a new deployment.
   */
  static List<Minute> allKeys() throws Exception {
    try (Fleet fleet = new Fleet(ParameterKey.values().length)) {
      fleet.busy(0, CHANGING);
      List<Minute> minutes = new ArrayList<>();
      for (int m = 1; m <= 4; m++) {
        minutes.add(
            fleet.minute(
                "1,000 targets x " + ParameterKey.values().length + " keys, read model empty", m));
      }
      return minutes;
    }
  }

  /**
   * 1,000 targets (3 keys, 100 with 4 more), 50 of them filling their queue each minute and the
   * previous 50 emptying it; then a new container (the one before was, say, timed out).
   */
  static List<Minute> steady() throws Exception {
    try (Fleet fleet = new Fleet(3)) {
      List<Minute> minutes = new ArrayList<>();
      String label = "steady: 5 % changing a minute";
      for (int m = 1; m <= 7; m++) {
        int group = (m - 1) % (TARGETS / CHANGING);
        fleet.busy(group * CHANGING, CHANGING);
        if (m > 1) {
          fleet.quiet(((m - 2) % (TARGETS / CHANGING)) * CHANGING, CHANGING);
        }
        if (m == 7) {
          fleet.newContainer();
          minutes.add(fleet.minute(label + ", a new container's first minute", m));
        } else {
          minutes.add(fleet.minute(label, m));
        }
      }
      return minutes;
    }
  }

  /** A settled fleet, then {@code count} targets' queues fill at once. */
  static List<Minute> atOnce(int count) throws Exception {
    try (Fleet fleet = new Fleet(3)) {
      List<Minute> minutes = new ArrayList<>();
      minutes.add(fleet.minute("settled fleet", 1));
      fleet.busy(0, count);
      String label = String.format(Locale.ROOT, "%,d queues fill at once", count);
      minutes.add(fleet.minute(label, 2));
      minutes.add(fleet.minute(label, 3));
      return minutes;
    }
  }

  /** A settled fleet, then {@code count} targets' parameters change, each with its event. */
  static List<Minute> storm(int count) throws Exception {
    try (Fleet fleet = new Fleet(3)) {
      List<Minute> minutes = new ArrayList<>();
      minutes.add(fleet.minute("settled fleet", 1));
      fleet.changeParameters(count);
      String label = String.format(Locale.ROOT, "a storm of %,d parameter changes", count);
      minutes.add(fleet.minute(label, 2));
      minutes.add(fleet.minute(label, 3));
      return minutes;
    }
  }

  /** One invocation's measurements. */
  record Minute(
      String scenario,
      int minute,
      double wallSeconds,
      double busySeconds,
      int decided,
      int known,
      int skipped,
      int failed,
      Map<String, Integer> calls) {}

  /** The stand-ins, the fleet on them, and the scaler as one Lambda container runs it. */
  static final class Fleet implements AutoCloseable {
    private final LocalAws aws = LocalAws.withFakes(10);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final List<String> queues = new ArrayList<>();

    /** The scaler's change queue, which the stack's rule fills with Parameter Store's events. */
    private final String changeQueue;

    private final AtomicLong paused = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    private ScalingCycle cycle;
    private long firstStart;
    private int invocations;

    Fleet(int keys) {
      ExecutionInterceptor counting =
          new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(
                Context.BeforeTransmission context, ExecutionAttributes attributes) {
              calls
                  .computeIfAbsent(
                      attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                      o -> new AtomicInteger())
                  .incrementAndGet();
            }
          };
      sqs = aws.sqsClient(List.of(counting));
      dynamoDb = aws.dynamoDbClient(List.of(counting));
      changeQueue = aws.createQueue("parameter-changes");
      populate(keys);
      cycle = container();
    }

    /** Every target's parameters, service (at 0 tasks) and own queue (empty). */
    private void populate(int keys) {
      LocalAws.Fakes fakes = aws.fakes();
      // AWS's default buckets, whole: the scaler paces itself to its share of them.
      fakes.ecs().limit(new TokenBucket(100, 20), "DescribeServices");
      fakes.ecs().limit(new TokenBucket(50, 5), "UpdateService");
      fakes
          .ssm()
          .limit(new TokenBucket(40, 40), "GetParameter", "GetParameters", "GetParametersByPath");
      for (FakeAwsServer fake : List.of(fakes.ecs(), fakes.ssm(), fakes.events())) {
        fake.latency(LATENCY);
      }
      for (int i = 0; i < TARGETS; i++) {
        String cluster = "cluster-" + (i % CLUSTERS);
        String service = "svc-" + i;
        String target = PREFIX + "/t" + i;
        String queue = aws.createQueue("q" + i);
        queues.add(queue);
        fakes.ecs().put(cluster, service, 0, 0, 0);
        Map<String, String> values = new HashMap<>();
        values.put("queue-url", queue);
        values.put("cluster", cluster);
        values.put("service", service);
        if (keys >= ParameterKey.values().length) {
          // As a construct that writes every default writes them.
          for (ParameterKey key : ParameterKey.values()) {
            values.putIfAbsent(key.key(), key.defaultValue());
          }
          values.put("task-concurrency", "4");
        } else if (i % (TARGETS / TUNED) == 0) {
          values.put("max-tasks", "20");
          values.put("backlog-per-task", "100");
          values.put("scale-in-stabilization-seconds", "300");
          values.put("count-in-flight", "true");
        }
        fakes.ssm().putTarget(PREFIX, "t" + i, values);
      }
    }

    /** The scaler as the Lambda builds it, sharing the state table with any container before. */
    private ScalingCycle container() {
      int share = AccountQuotas.DEFAULT_SHARE_PERCENT;
      Pause sleeping = Pause.sleeping(clock);
      return new ScalingCycle(
          new ScalingCycle.Ports(
              new ParameterReadModel(
                  new SsmParameterSource(aws.ssm, PREFIX, AccountQuotas.parameterReads(share)),
                  new DynamoDbParameterMirror(dynamoDb, LocalAws.TABLE),
                  new DynamoDbParameterChanges(dynamoDb, LocalAws.TABLE),
                  new SqsChangeNotices(sqs, changeQueue, PREFIX),
                  clock,
                  ParameterReadModel.STEADY_PAGES),
              new SqsQueueProbe(sqs),
              new EcsServiceScaler(
                  aws.ecs,
                  AccountQuotas.describeServices(share),
                  AccountQuotas.updateService(share)),
              new DynamoDbDecisionStore(dynamoDb, LocalAws.TABLE),
              new EventBridgeDecisionEvents(aws.eventBridge, "default", PREFIX),
              outcome -> {},
              OperatorLog.NONE,
              Tracing.NONE,
              clock,
              when -> {
                long before = System.nanoTime();
                sleeping.until(when);
                paused.addAndGet(System.nanoTime() - before);
              }),
          ScalingCycle.DEFAULT_PARALLELISM,
          AwsClients.WORST_CALL,
          new DynamoDbWaitingTargets(dynamoDb, LocalAws.TABLE),
          new DynamoDbValidConfigurations(dynamoDb, LocalAws.TABLE),
          new DynamoDbCycleLease(dynamoDb, LocalAws.TABLE));
    }

    /** A new container: nothing in memory, everything kept in the state table stays. */
    void newContainer() {
      cycle.close();
      cycle = container();
    }

    /** Fills the queues of targets {@code from} to {@code from + count - 1}. */
    void busy(int from, int count) {
      for (int i = from; i < from + count; i++) {
        aws.send(queues.get(i), BACKLOG);
      }
    }

    /** Empties those queues (the work is done). */
    void quiet(int from, int count) {
      for (int i = from; i < from + count; i++) {
        String queue = queues.get(i);
        aws.sqs.purgeQueue(p -> p.queueUrl(queue));
      }
    }

    /**
     * Changes {@code count} targets' max-tasks, each change's event put on the scaler's change
     * queue as the stack's rule puts it.
     */
    void changeParameters(int count) {
      List<String> changed = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = PREFIX + "/t" + i + "/max-tasks";
        aws.fakes().ssm().put(name, "30");
        changed.add(name);
      }
      aws.sendParameterChanges(changeQueue, changed);
    }

    /** One invocation, a schedule's minute after the one before. */
    Minute minute(String scenario, int minute) throws InterruptedException {
      if (invocations == 0) {
        firstStart = System.nanoTime();
      }
      long due = firstStart + SCHEDULE.toNanos() * invocations++;
      Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
      Map<String, Integer> before = snapshot();
      paused.set(0);
      long started = System.nanoTime();
      CycleReport report =
          cycle.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(clock.instant().plus(DEADLINE)))
                  .within(SCHEDULE));
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Integer> after = snapshot();
      Map<String, Integer> delta = new HashMap<>();
      after.forEach((op, count) -> delta.put(op, count - before.getOrDefault(op, 0)));
      Set<String> decided = new HashSet<>();
      Set<String> known = new HashSet<>();
      report.outcomes().stream()
          .peek(o -> known.add(o.decision().target()))
          .filter(o -> o.decision().reason() != Reason.OUT_OF_TIME)
          .forEach(o -> decided.add(o.decision().target()));
      long skipped =
          report.failures().stream().filter(f -> f.contains(": skipped: ")).count()
              + report.outcomes().stream()
                  .filter(o -> o.decision().reason() == Reason.OUT_OF_TIME)
                  .map(o -> o.decision().target())
                  .distinct()
                  .count();
      long failed =
          report.outcomes().stream()
              .filter(o -> !o.completed() && o.decision().reason() != Reason.OUT_OF_TIME)
              .map(o -> o.decision().target())
              .distinct()
              .count();
      Minute measured =
          new Minute(
              scenario,
              minute,
              seconds,
              seconds - paused.get() / 1e9,
              decided.size(),
              known.size(),
              (int) skipped,
              (int) failed,
              delta);
      // Progress on stderr: the run takes about 25 minutes.
      System.err.print(table(List.of(measured)).lines().skip(2).findFirst().orElse("") + "\n");
      return measured;
    }

    /** Calls so far: the stand-ins' own logs and throttles, SQS and DynamoDB through the SDK. */
    private Map<String, Integer> snapshot() {
      LocalAws.Fakes fakes = aws.fakes();
      Map<String, Integer> counts = new HashMap<>();
      for (String op : List.of("DescribeServices", "UpdateService")) {
        counts.put(op, fakes.ecs().calls(op).size());
        counts.put("throttled " + op, fakes.ecs().throttled(op));
      }
      counts.put("GetParametersByPath", fakes.ssm().calls("GetParametersByPath").size());
      counts.put("throttled GetParametersByPath", fakes.ssm().throttled("GetParametersByPath"));
      counts.put("PutEvents", fakes.events().calls("PutEvents").size());
      calls.forEach((op, count) -> counts.put(op, count.get()));
      return counts;
    }

    @Override
    public void close() {
      cycle.close();
      sqs.close();
      dynamoDb.close();
      aws.close();
    }
  }

  /** List prices (us-east-1, on demand), dollars per million. */
  static final double SQS_PER_MILLION = 0.40;

  static final double DYNAMODB_WRITE_PER_MILLION = 0.625;
  static final double DYNAMODB_READ_PER_MILLION = 0.125;
  static final double EVENTS_PER_MILLION = 1.00;

  /** Lambda at 1 GiB, per second of duration. */
  static final double LAMBDA_PER_SECOND = 0.0000166667;

  static final double MINUTES_A_MONTH = 30 * 24 * 60;

  /** The table of every minute measured, with what such a minute costs a month. */
  static String table(List<Minute> minutes) {
    StringBuilder table =
        new StringBuilder(
            "| scenario | minute | wall time, s | busy, s | targets decided | skipped for time |"
                + " failed | calls (GetParametersByPath / DescribeServices / UpdateService /"
                + " GetQueueAttributes / DynamoDB reads / DynamoDB writes / PutEvents / change"
                + " queue ReceiveMessage + DeleteMessageBatch) | throttled"
                + " (SSM / Describe / Update) | a month at this rate, $ (SQS + DynamoDB +"
                + " EventBridge + Lambda) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (Minute m : minutes) {
      Map<String, Integer> c = m.calls();
      int reads = get(c, "GetItem") + get(c, "BatchGetItem");
      int writes = get(c, "PutItem") + get(c, "UpdateItem") + get(c, "DeleteItem");
      int changeQueue = get(c, "ReceiveMessage") + get(c, "DeleteMessageBatch");
      double sqs = (get(c, "GetQueueAttributes") + changeQueue) * SQS_PER_MILLION;
      // A state item is about 1-2 KB: a write of it is two units, a consistent read one.
      double dynamo = writes * 2 * DYNAMODB_WRITE_PER_MILLION + reads * DYNAMODB_READ_PER_MILLION;
      double events = get(c, "PutEvents") * 10 * EVENTS_PER_MILLION;
      double lambda = m.wallSeconds() * 1e6 * LAMBDA_PER_SECOND;
      double month = (sqs + dynamo + events + lambda) * MINUTES_A_MONTH / 1e6;
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f | %,d | %,d | %,d | %,d / %,d / %,d / %,d / %,d / %,d / %,d"
                  + " / %,d |"
                  + " %d / %d / %d | %,.0f |\n",
              m.scenario(),
              m.minute(),
              m.wallSeconds(),
              m.busySeconds(),
              m.decided(),
              m.skipped(),
              m.failed(),
              get(c, "GetParametersByPath"),
              get(c, "DescribeServices"),
              get(c, "UpdateService"),
              get(c, "GetQueueAttributes"),
              reads,
              writes,
              get(c, "PutEvents"),
              changeQueue,
              get(c, "throttled GetParametersByPath"),
              get(c, "throttled DescribeServices"),
              get(c, "throttled UpdateService"),
              month));
    }
    return table.toString();
  }

  private static int get(Map<String, Integer> calls, String op) {
    return calls.getOrDefault(op, 0);
  }

  /** The fleet of the memory measurement: {@code changing} targets have 250 messages. */
  static void populate(LocalAws aws, int changing) {
    LocalAws.Fakes fakes = aws.fakes();
    fakes.ecs().limit(new TokenBucket(100, 20), "DescribeServices");
    fakes.ecs().limit(new TokenBucket(50, 5), "UpdateService");
    fakes
        .ssm()
        .limit(new TokenBucket(40, 40), "GetParameter", "GetParameters", "GetParametersByPath");
    for (FakeAwsServer fake : List.of(fakes.ecs(), fakes.ssm(), fakes.events())) {
      fake.latency(LATENCY);
    }
    String busy = aws.createQueue("busy");
    String quiet = aws.createQueue("quiet");
    aws.send(busy, BACKLOG);
    for (int i = 0; i < TARGETS; i++) {
      String cluster = "cluster-" + (i % CLUSTERS);
      String service = "svc-" + i;
      String target = PREFIX + "/t" + i;
      fakes.ecs().put(cluster, service, 0, 0, 0);
      fakes.ssm().put(target + "/queue-url", i < changing ? busy : quiet);
      fakes.ssm().put(target + "/cluster", cluster);
      fakes.ssm().put(target + "/service", service);
    }
  }

  /**
   * The scaler's shaded jar in a fresh JVM with a heap limit, as an operator runs it ({@code once}:
   * one decision per target, the prefix read from the stand-in): its wall time, decisions and peak
   * resident memory (the kernel's high-water mark, through {@code /usr/bin/time}).
   */
  static String memory(Path jar, int changing, int heapMib) throws Exception {
    try (LocalAws aws = LocalAws.withFakes(10)) {
      populate(aws, changing);
      Path stdout = Files.createTempFile("fleet-once", ".out");
      Path timing = Files.createTempFile("fleet-once", ".time");
      ProcessBuilder builder =
          new ProcessBuilder(
              "/usr/bin/time",
              "-o",
              timing.toString(),
              "-f",
              "%M %e",
              "java",
              "-Xmx" + heapMib + "m",
              "-jar",
              jar.toString(),
              "once");
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_"));
      env.putAll(aws.sdkEnvironment());
      env.put("SCALER_STATE_TABLE", LocalAws.TABLE);
      env.put("SCALER_PARAMETER_PATH", PREFIX);
      Process process =
          builder
              .redirectOutput(stdout.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("the scaler did not finish in 10 minutes");
      }
      String[] measured = Files.readString(timing).strip().split("\\s+");
      long peakKib = Long.parseLong(measured[measured.length - 2]);
      double seconds = Double.parseDouble(measured[measured.length - 1]);
      List<String> lines = Files.readAllLines(stdout);
      long failed = lines.stream().filter(line -> !line.contains("\"errors\":[]")).count();
      return String.format(
          Locale.ROOT,
          "| %,d | %d | %d | %.1f | %,d | %,d | %d |",
          changing,
          heapMib,
          process.exitValue(),
          seconds,
          lines.size(),
          failed,
          peakKib / 1024);
    }
  }

  private FleetBenchmark() {}
}
