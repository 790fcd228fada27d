package dev.queuescaler.scaler.bench;

import dev.queuescaler.scaler.app.ScalerAssembly;
import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.DynamoDbParameterChanges;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.cycle.CachedParameterSource;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.Deadline;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.Tracing;
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

  private static final OperatorLog QUIET =
      new OperatorLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void error(String message) {}
      };

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "scaler-lambda/target/bench/fleet.md");
    List<String> rows = new ArrayList<>();
    rows.add(run(100));
    rows.add(run(TARGETS));
    String table =
        "| targets changing their count | cycle | wall time, s | decided | failed | failed by throttling |"
            + " calls (DescribeServices / GetParametersByPath / GetQueueAttributes / GetItem +"
            + " PutItem / UpdateService / PutEvents) | throttled (Describe / SSM / Update) |\n"
            + "|---|---|---|---|---|---|---|---|\n"
            + String.join("\n", rows)
            + "\n";
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.print(table);
  }

  /** One cycle over the fleet with {@code changing} targets whose queue asks for 3 tasks. */
  static String run(int changing) throws Exception {
    try (LocalAws aws = LocalAws.withFakes(10)) {
      LocalAws.Fakes fakes = aws.fakes();
      // AWS's default buckets, whole: the scaler paces itself to half of them.
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
      String prefix = "/fleet";
      for (int i = 0; i < TARGETS; i++) {
        String cluster = "cluster-" + (i % CLUSTERS);
        String service = "svc-" + i;
        String target = prefix + "/t" + i;
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
                      new CachedParameterSource(
                          new SsmParameterSource(aws.ssm, prefix, AccountQuotas.parameterReads()),
                          new DynamoDbParameterChanges(dynamoDb, LocalAws.TABLE),
                          clock,
                          ScalerAssembly.PARAMETERS_MAX_AGE),
                      new SqsQueueProbe(sqs),
                      new EcsServiceScaler(
                          aws.ecs, AccountQuotas.describeServices(), AccountQuotas.updateService()),
                      new DynamoDbDecisionStore(dynamoDb, LocalAws.TABLE),
                      new EventBridgeDecisionEvents(aws.eventBridge, "default"),
                      outcome -> {},
                      QUIET,
                      Tracing.NONE,
                      clock),
                  ScalingCycle.DEFAULT_PARALLELISM,
                  AwsClients.ATTEMPT_TIMEOUT)) {
        List<String> rows = new ArrayList<>();
        for (String kind : List.of("after a change: prefix read", "steady: prefix cached")) {
          for (int i = 0; i < TARGETS; i++) {
            fakes.ecs().put("cluster-" + (i % CLUSTERS), "svc-" + i, 0, 0, 0);
          }
          aws.clearState();
          Map<String, Integer> before = snapshot(fakes, calls);
          long started = System.nanoTime();
          CycleReport report =
              cycle.run(
                  CycleRequest.ALL_TARGETS.by(Deadline.at(clock.instant().plus(LAMBDA_TIMEOUT))));
          double seconds = (System.nanoTime() - started) / 1e9;
          rows.add(row(kind, changing, seconds, report, fakes, calls, before));
        }
        return String.join("\n", rows);
      }
    }
  }

  private static String row(
      String kind,
      int changing,
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
    long failed = report.outcomes().stream().filter(o -> !o.completed()).count();
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %.1f | %,d | %,d | %,d | %d / %d / %d / %d + %d / %d / %d | %d / %d / %d |",
        changing,
        kind,
        seconds,
        report.outcomes().size(),
        failed + (TARGETS - report.outcomes().size()),
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
