package dev.queuescaler.scaler.bench;

import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.DynamoDbParameterChanges;
import dev.queuescaler.scaler.aws.DynamoDbParameterMirror;
import dev.queuescaler.scaler.aws.DynamoDbWaitingTargets;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ParameterReadModel;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.FakeAwsServer;
import dev.queuescaler.testsupport.FakeAwsServer.TokenBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A fleet's cycle against stand-ins that throttle as AWS does by default: 1,000 targets in 10
 * clusters, each with its three required keys and 100 of them with four tuned keys. ECS, SSM and
 * EventBridge are HTTP stand-ins that answer after 20 ms and enforce AWS's default token buckets
 * with AWS's throttling reply (HTTP 400, ThrottlingException); SQS (ElasticMQ) and DynamoDB
 * (dynalite) are local servers at local speed. Run by {@code scaler-lambda/bench/fleet}.
 */
public final class FleetBenchmark {

  static final int CLUSTERS = 10;
  static final int TARGETS = 1_000;
  static final int TUNED = 100;
  static final Duration LATENCY = Duration.ofMillis(20);

  /** The scaler function's timeout (infra), which the Lambda passes as the deadline. */
  static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(90);

  /** The schedule's period: invocations start a minute apart, so the pacers refill between. */
  static final Duration SCHEDULE = Duration.ofMinutes(1);

  static final String PREFIX = "/fleet";

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "scaler-lambda/target/bench/fleet.md");
    Path jar = Path.of(args.length > 1 ? args[1] : "scaler-lambda/target/scaler-lambda.jar");
    int share = AccountQuotas.DEFAULT_SHARE_PERCENT;
    List<String> rows = new ArrayList<>();
    rows.add(run(100, share, List.of(Cycle.WHOLE_READ, Cycle.ONE_TARGET_CHANGED, Cycle.STEADY)));
    rows.add(run(TARGETS, share, List.of(Cycle.WHOLE_READ, Cycle.STEADY)));
    rows.add(run(100, 60, List.of(Cycle.WHOLE_READ, Cycle.STEADY)));
    String table =
        "| targets changing their count | quota share | cycle | wall time, s | decided | skipped"
            + " for time, first in the next cycle | failed | failed by throttling | calls"
            + " (DescribeServices / GetParametersByPath / GetQueueAttributes / GetItem + PutItem /"
            + " UpdateService / PutEvents) | throttled (Describe / SSM / Update) |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n"
            + String.join("\n", rows)
            + "\n";
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
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    Files.writeString(out.resolveSibling("fleet-memory.md"), memory);
    System.out.print(table + "\n" + memory);
  }

  /** The fleet's parameters, services and queues: {@code changing} targets have 250 messages. */
  static void populate(LocalAws aws, int changing) {
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
    String busy = aws.createQueue("busy");
    String quiet = aws.createQueue("quiet");
    aws.send(busy, 250);
    for (int i = 0; i < TARGETS; i++) {
      String cluster = "cluster-" + (i % CLUSTERS);
      String service = "svc-" + i;
      String target = PREFIX + "/t" + i;
      fakes.ecs().put(cluster, service, 0, 0, 0);
      fakes.ssm().put(target + "/queue-url", i < changing ? busy : quiet);
      fakes.ssm().put(target + "/cluster", cluster);
      fakes.ssm().put(target + "/service", service);
      if (i % (TARGETS / TUNED) == 0) {
        fakes.ssm().put(target + "/max-tasks", "20");
        fakes.ssm().put(target + "/backlog-per-task", "100");
        fakes.ssm().put(target + "/scale-in-stabilization-seconds", "300");
        fakes.ssm().put(target + "/count-in-flight", "true");
      }
    }
  }

  /** Every service back at 0 tasks and no stored state: each cycle starts from the same fleet. */
  static void reset(LocalAws aws) {
    for (int i = 0; i < TARGETS; i++) {
      aws.fakes().ecs().put("cluster-" + (i % CLUSTERS), "svc-" + i, 0, 0, 0);
    }
    aws.clearState();
  }

  /** What the parameter cache has to do in a cycle. */
  enum Cycle {
    WHOLE_READ("first, or after a change naming no target: prefix read"),
    ONE_TARGET_CHANGED("one target's parameter changed: its path read"),
    STEADY("steady: prefix cached");

    final String label;

    Cycle(String label) {
      this.label = label;
    }
  }

  /**
   * Cycles a schedule's period apart over the fleet with {@code changing} targets whose queue asks
   * for 3 tasks, the scaler paced to {@code share} percent of each quota.
   */
  static String run(int changing, int share, List<Cycle> kinds) throws Exception {
    try (LocalAws aws = LocalAws.withFakes(10)) {
      populate(aws, changing);
      LocalAws.Fakes fakes = aws.fakes();
      Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
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
      Clock clock = Clock.systemUTC();
      try (SqsClient sqs = aws.sqsClient(List.of(counting));
          DynamoDbClient dynamoDb = aws.dynamoDbClient(List.of(counting));
          ScalingCycle cycle =
              new ScalingCycle(
                  new ScalingCycle.Ports(
                      new ParameterReadModel(
                          new SsmParameterSource(
                              aws.ssm, PREFIX, AccountQuotas.parameterReads(share)),
                          new DynamoDbParameterMirror(dynamoDb, LocalAws.TABLE),
                          new DynamoDbParameterChanges(dynamoDb, LocalAws.TABLE),
                          clock),
                      new SqsQueueProbe(sqs),
                      new EcsServiceScaler(
                          aws.ecs,
                          AccountQuotas.describeServices(share),
                          AccountQuotas.updateService(share)),
                      new DynamoDbDecisionStore(dynamoDb, LocalAws.TABLE),
                      new EventBridgeDecisionEvents(aws.eventBridge, "default"),
                      outcome -> {},
                      OperatorLog.NONE,
                      Tracing.NONE,
                      clock),
                  ScalingCycle.DEFAULT_PARALLELISM,
                  AwsClients.WORST_CALL,
                  new DynamoDbWaitingTargets(dynamoDb, LocalAws.TABLE))) {
        List<String> rows = new ArrayList<>();
        long firstStart = System.nanoTime();
        int cycles = 0;
        DynamoDbParameterChanges changes = new DynamoDbParameterChanges(dynamoDb, LocalAws.TABLE);
        for (Cycle kind : kinds) {
          reset(aws);
          if (kind == Cycle.ONE_TARGET_CHANGED) {
            changes.recordChange(clock.instant(), Optional.of(new TargetName("t5")));
          }
          long due = firstStart + SCHEDULE.toNanos() * cycles++;
          Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
          Map<String, Integer> before = snapshot(fakes, calls);
          long started = System.nanoTime();
          CycleReport report =
              cycle.run(
                  CycleRequest.ALL_TARGETS.by(Deadline.at(clock.instant().plus(LAMBDA_TIMEOUT))));
          double seconds = (System.nanoTime() - started) / 1e9;
          rows.add(row(kind.label, changing, share, seconds, report, fakes, calls, before));
        }
        return String.join("\n", rows);
      }
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

  private static String row(
      String kind,
      int changing,
      int share,
      double seconds,
      CycleReport report,
      LocalAws.Fakes fakes,
      Map<String, AtomicInteger> calls,
      Map<String, Integer> before) {
    Map<String, Integer> after = snapshot(fakes, calls);
    ToIntFunction<String> delta = op -> after.get(op) - before.get(op);
    long throttledFailures =
        report.outcomes().stream()
            .filter(o -> !o.completed())
            .filter(o -> String.join(" ", o.decision().errors()).contains("Throttling"))
            .count();
    long outOfTime =
        report.outcomes().stream().filter(o -> o.decision().reason() == Reason.OUT_OF_TIME).count();
    long failed =
        report.outcomes().stream()
            .filter(o -> !o.completed() && o.decision().reason() != Reason.OUT_OF_TIME)
            .count();
    return String.format(
        Locale.ROOT,
        "| %,d | %d %% | %s | %.1f | %,d | %,d | %,d | %,d | %d / %d / %d / %d + %d / %d / %d | %d /"
            + " %d / %d |",
        changing,
        share,
        kind,
        seconds,
        report.outcomes().size() - outOfTime,
        TARGETS - report.outcomes().size() + outOfTime,
        failed,
        throttledFailures,
        delta.applyAsInt("DescribeServices"),
        delta.applyAsInt("GetParametersByPath"),
        delta.applyAsInt("GetQueueAttributes"),
        delta.applyAsInt("GetItem"),
        delta.applyAsInt("PutItem"),
        delta.applyAsInt("UpdateService"),
        delta.applyAsInt("PutEvents"),
        delta.applyAsInt("throttled DescribeServices"),
        delta.applyAsInt("throttled GetParametersByPath"),
        delta.applyAsInt("throttled UpdateService"));
  }

  /** Calls so far: the stand-ins' own logs and throttles, SQS and DynamoDB through the SDK. */
  private static Map<String, Integer> snapshot(
      LocalAws.Fakes fakes, Map<String, AtomicInteger> calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (String op : List.of("DescribeServices", "UpdateService")) {
      counts.put(op, fakes.ecs().calls(op).size());
      counts.put("throttled " + op, fakes.ecs().throttled(op));
    }
    counts.put("GetParametersByPath", fakes.ssm().calls("GetParametersByPath").size());
    counts.put("throttled GetParametersByPath", fakes.ssm().throttled("GetParametersByPath"));
    counts.put("PutEvents", fakes.events().calls("PutEvents").size());
    for (String op : List.of("GetQueueAttributes", "GetItem", "PutItem")) {
      counts.put(op, count(calls, op));
    }
    return counts;
  }

  private static int count(Map<String, AtomicInteger> calls, String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  private FleetBenchmark() {}
}
