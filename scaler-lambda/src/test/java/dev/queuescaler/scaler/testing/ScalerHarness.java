package dev.queuescaler.scaler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbCycleLease;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.DynamoDbParameterChanges;
import dev.queuescaler.scaler.aws.DynamoDbParameterMirror;
import dev.queuescaler.scaler.aws.DynamoDbValidConfigurations;
import dev.queuescaler.scaler.aws.EcsServiceScaler;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.cycle.CycleLease;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.DecisionStore;
import dev.queuescaler.scaler.cycle.IdleCheckTrigger;
import dev.queuescaler.scaler.cycle.ParameterChanges;
import dev.queuescaler.scaler.cycle.ParameterPages;
import dev.queuescaler.scaler.cycle.ParameterReadModel;
import dev.queuescaler.scaler.cycle.ParameterSource;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.cycle.Tracing;
import dev.queuescaler.scaler.cycle.WaitingTargets;
import dev.queuescaler.scaler.report.DecisionLineSink;
import dev.queuescaler.scaler.report.DecisionSinks;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.testsupport.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The real cycle with the real AWS adapters against {@link LocalAws}, its output captured: what the
 * Lambda does, minus the handler.
 */
public final class ScalerHarness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  public final MutableClock clock;
  private final ByteArrayOutputStream decisions = new ByteArrayOutputStream();
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final ScalingCycle cycle;
  private final String prefix;

  public ScalerHarness(LocalAws aws, String prefix) {
    this(aws, prefix, Tracing.NONE, new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE));
  }

  public ScalerHarness(LocalAws aws, String prefix, Tracing tracing, DecisionStore store) {
    this(aws, prefix, tracing, store, new MutableClock(Instant.parse("2026-11-27T12:00:00Z")));
  }

  public ScalerHarness(
      LocalAws aws, String prefix, Tracing tracing, DecisionStore store, MutableClock clock) {
    this(
        aws,
        new SsmParameterSource(aws.ssm, prefix),
        tracing,
        store,
        clock,
        ScalingCycle.DEFAULT_PARALLELISM);
  }

  /** One target at a time, in order: for scenarios about the order targets run in. */
  public static ScalerHarness sequential(LocalAws aws, String prefix, DecisionStore store) {
    return new ScalerHarness(
        aws,
        new SsmParameterSource(aws.ssm, prefix),
        Tracing.NONE,
        store,
        new MutableClock(Instant.parse("2026-11-27T12:00:00Z")),
        1);
  }

  /**
   * The Lambda's way of reading the prefix: a read model in the state table, a changed target's
   * path read after its change is recorded, and a walk over the prefix of {@code steadyPages} a
   * cycle.
   */
  public static ScalerHarness withParameterReadModel(LocalAws aws, String prefix, int steadyPages) {
    return withParameterReadModel(aws, prefix, steadyPages, (pages, clock) -> pages);
  }

  /**
   * As {@link #withParameterReadModel(LocalAws, String, int)}, its pages read through {@code
   * through} (a test's pacing on the harness's clock).
   */
  public static ScalerHarness withParameterReadModel(
      LocalAws aws,
      String prefix,
      int steadyPages,
      java.util.function.BiFunction<ParameterPages, MutableClock, ParameterPages> through) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    SsmParameterSource ssm = new SsmParameterSource(aws.ssm, prefix);
    return new ScalerHarness(
        aws,
        new ParameterReadModel(
            through.apply(ssm, clock),
            new DynamoDbParameterMirror(aws.dynamoDb, LocalAws.TABLE),
            new DynamoDbParameterChanges(aws.dynamoDb, LocalAws.TABLE),
            clock,
            steadyPages),
        Tracing.NONE,
        new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE),
        clock,
        ScalingCycle.DEFAULT_PARALLELISM);
  }

  /** The recorded Parameter Store changes the Lambda's handler writes. */
  public static ParameterChanges parameterChanges(LocalAws aws) {
    return new DynamoDbParameterChanges(aws.dynamoDb, LocalAws.TABLE);
  }

  private ScalerHarness(
      LocalAws aws,
      ParameterSource parameters,
      Tracing tracing,
      DecisionStore store,
      MutableClock clock,
      int parallelism) {
    this(aws, parameters, tracing, store, clock, parallelism, CycleLease.inProcess());
  }

  /**
   * The Lambda's and the CLI's way of excluding each other: the cycle lease in the state table,
   * shared by every harness built this way on {@code aws}.
   */
  public static ScalerHarness leased(
      LocalAws aws, String prefix, DecisionStore store, MutableClock clock) {
    return new ScalerHarness(
        aws,
        new SsmParameterSource(aws.ssm, prefix),
        Tracing.NONE,
        store,
        clock,
        ScalingCycle.DEFAULT_PARALLELISM,
        new DynamoDbCycleLease(aws.dynamoDb, LocalAws.TABLE));
  }

  /**
   * The idle checks an invocation leaves sent with {@code checks}, as the Lambda sends them to its
   * checks queue, under {@code lease}.
   */
  public static ScalerHarness withIdleChecks(
      LocalAws aws,
      String prefix,
      DecisionStore store,
      MutableClock clock,
      CycleLease lease,
      IdleCheckTrigger checks) {
    return new ScalerHarness(
        aws,
        new SsmParameterSource(aws.ssm, prefix),
        Tracing.NONE,
        store,
        clock,
        ScalingCycle.DEFAULT_PARALLELISM,
        lease,
        checks);
  }

  private ScalerHarness(
      LocalAws aws,
      ParameterSource parameters,
      Tracing tracing,
      DecisionStore store,
      MutableClock clock,
      int parallelism,
      CycleLease lease) {
    this(aws, parameters, tracing, store, clock, parallelism, lease, IdleCheckTrigger.NONE);
  }

  private ScalerHarness(
      LocalAws aws,
      ParameterSource parameters,
      Tracing tracing,
      DecisionStore store,
      MutableClock clock,
      int parallelism,
      CycleLease lease,
      IdleCheckTrigger checks) {
    this.clock = clock;
    this.prefix = parameters.describe();
    PrintStream decisionOut = new PrintStream(decisions, true, StandardCharsets.UTF_8);
    PrintStream logOut = new PrintStream(logs, true, StandardCharsets.UTF_8);
    cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                parameters,
                new SqsQueueProbe(aws.sqs),
                new EcsServiceScaler(aws.ecs),
                store,
                new EventBridgeDecisionEvents(aws.eventBridge, "default", prefix),
                DecisionSinks.all(
                    new DecisionLineSink(decisionOut), new EmfMetricsSink(logOut, "QueueScaler")),
                new JsonOperatorLog(logOut, clock),
                tracing,
                clock,
                // Virtual time: a pause moves the clock on instead of sleeping.
                when -> {
                  java.time.Duration left = java.time.Duration.between(clock.instant(), when);
                  if (!left.isNegative() && !left.isZero()) {
                    clock.advance(left);
                  }
                  onPause.accept(clock.instant());
                },
                checks),
            parallelism,
            AwsClients.WORST_CALL,
            WaitingTargets.inMemory(),
            // As in the Lambda: a new harness is a new container that finds them in the table.
            new DynamoDbValidConfigurations(aws.dynamoDb, LocalAws.TABLE),
            lease);
  }

  /** What happens in the world while the cycle waits between rounds, at the time it waits until. */
  private volatile java.util.function.Consumer<Instant> onPause = at -> {};

  /** Runs {@code world} at the end of each wait of the cycle, with the clock then. */
  public void onPause(java.util.function.Consumer<Instant> world) {
    this.onPause = world;
  }

  public ScalingCycle cycle() {
    return cycle;
  }

  /** The prefix the targets' parameters are read under. */
  public String prefix() {
    return prefix;
  }

  public CycleReport runOnce() {
    return cycle.run(CycleRequest.ALL_TARGETS);
  }

  public CycleReport run(CycleRequest request) {
    return cycle.run(request);
  }

  /** Every decision line printed so far, parsed. */
  public List<JsonNode> decisionLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : decisions.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("not a JSON decision line: " + line, e);
        }
      }
    }
    return lines;
  }

  /** The last decision line for {@code target}. */
  public JsonNode lastLine(String target) {
    List<JsonNode> lines = decisionLines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).path("target").asText().equals(target)) {
        return lines.get(i);
      }
    }
    throw new AssertionError("no decision line for " + target + " in " + lines);
  }

  public String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    cycle.close();
  }
}
