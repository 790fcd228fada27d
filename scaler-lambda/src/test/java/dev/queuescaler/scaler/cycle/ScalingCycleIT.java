package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * End-to-end scenarios of one scaling cycle: real SQS protocol (ElasticMQ), real DynamoDB protocol
 * (dynalite), HTTP fakes for ECS, SSM and EventBridge, the real SDK clients in between.
 */
class ScalingCycleIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalAws aws;

  private String prefix;
  private String queueUrl;

  @BeforeAll
  static void startServers() {
    aws = new LocalAws();
  }

  @AfterAll
  static void stopServers() {
    aws.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void freshTarget(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName();
    prefix = "/" + name;
    aws.clearState();
    queueUrl = aws.createQueue(name);
  }

  private void target(String name, int desired, Map<String, String> tunables) {
    aws.ecsServer.put("workers", name + "-svc", desired, desired, 0);
    aws.putTarget(prefix, name, queueUrl, name + "-svc", tunables);
  }

  @Test
  void scalesFromZeroOnTheFirstMessage() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 1);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isFalse();
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(1);
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(line.get("reason").asText()).isEqualTo("BACKLOG");
      assertThat(line.get("visible").asLong()).isEqualTo(1);
    }
  }

  @Test
  void scalesOutToCoverBacklogWithinOneCycle() {
    target("orders", 1, Map.of("backlog-per-task", "100", "max-tasks", "20"));
    aws.send(queueUrl, 650);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(7);
      assertThat(aws.ecsServer.calls("UpdateService")).isNotEmpty();
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("backlog").asLong()).isEqualTo(650);
      assertThat(line.get("recommended").asInt()).isEqualTo(7);
      assertThat(line.get("desired").asInt()).isEqualTo(7);
    }
  }

  @Test
  void holdsDuringStabilizationThenScalesIn() {
    target("orders", 0, Map.of("backlog-per-task", "10", "scale-in-stabilization-seconds", "300"));
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(5);

      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("STABILIZING");
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(5);

      scaler.clock.advance(Duration.ofSeconds(241));
      scaler.runOnce();
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isZero();
    }
  }

  @Test
  void anSsmChangeTakesEffectNextCycle() {
    target("orders", 0, Map.of("backlog-per-task", "10", "max-tasks", "2"));
    aws.send(queueUrl, 100);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(2);
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("MAX_TASKS");

      aws.ssmServer.put(prefix + "/orders/max-tasks", "4");
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(4);
    }
  }

  @Test
  void aBadSsmValueFallsBackToItsDefaultAndIsReported() {
    target("orders", 0, Map.of("max-tasks", "abc", "backlog-per-task", "-5"));
    aws.send(queueUrl, 250);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("errors").toString())
          .contains("max-tasks: \\\"abc\\\" is not an integer; using 10")
          .contains("backlog-per-task: -5 is out of range (>= 1); using 100");
      assertThat(line.get("desired").asInt()).isEqualTo(3);
      assertThat(report.failed()).isFalse();
      assertThat(scaler.logs()).contains("\"ConfigErrors\":2");
    }
  }

  @Test
  void minAboveMaxHoldsWithConfigInvalid() {
    target("orders", 1, Map.of("min-tasks", "5", "max-tasks", "3"));
    aws.send(queueUrl, 1_000);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("HOLD");
      assertThat(line.get("reason").asText()).isEqualTo("CONFIG_INVALID");
      assertThat(line.get("errors").toString()).contains("min-tasks 5 is above max-tasks 3");
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(1);
    }
  }

  @Test
  void dryRunNeverCallsUpdateService() {
    target("fromssm", 0, Map.of("dry-run", "true"));
    target("forced", 0, Map.of());
    aws.send(queueUrl, 300);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.run(new CycleRequest(Optional.of(new TargetName("fromssm")), false));
      scaler.run(new CycleRequest(Optional.of(new TargetName("forced")), true));

      assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore);
      for (String target : List.of("fromssm", "forced")) {
        JsonNode line = scaler.lastLine(target);
        assertThat(line.get("dryRun").asBoolean()).isTrue();
        assertThat(line.get("action").asText()).isEqualTo("SCALE_OUT");
        assertThat(line.get("desired").asInt()).isEqualTo(3);
      }
    }
  }

  @Test
  void ecsThrottlingIsRetriedBySdk() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    aws.ecsServer.throttleNextUpdates(2);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isFalse();
      assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore + 3);
      assertThat(aws.ecsServer.desired("workers", "orders-svc")).isEqualTo(2);
    }
  }

  @Test
  void persistentEcsServerErrorGivesUpdateFailedWhileOtherTargetsStillScale() {
    target("broken", 0, Map.of());
    target("healthy", 0, Map.of());
    aws.ecsServer.breakUpdates("workers", "broken-svc");
    aws.send(queueUrl, 150);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      assertThat(report.failures()).singleElement().asString().startsWith("broken: UPDATE_FAILED");
      JsonNode broken = scaler.lastLine("broken");
      assertThat(broken.get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(broken.get("action").asText()).isEqualTo("HOLD");
      assertThat(broken.get("errors").toString()).contains("ServerException");
      assertThat(aws.ecsServer.desired("workers", "healthy-svc")).isEqualTo(2);
      // A scale-out that did not happen starts no cooldown.
      ScalingHistory stored =
          new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE)
              .load(new TargetName("broken"))
              .history();
      assertThat(stored.lastScaleOut()).isEmpty();
    }
  }

  @Test
  void twoConcurrentCyclesProduceOneUpdateService() throws Exception {
    String name = "racing" + System.nanoTime();
    target(name, 0, Map.of());
    aws.send(queueUrl, 400);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();
    // Both cycles read the same stored version before either writes: the real race, forced.
    CyclicBarrier bothLoaded = new CyclicBarrier(2);
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    DecisionStore racing =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            StoredState state = real.load(target);
            try {
              bothLoaded.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return state;
          }

          @Override
          public Optional<StoredState> save(
              TargetName target,
              long expected,
              ScalingHistory next,
              Optional<PendingAction> pending) {
            return real.save(target, expected, next, pending);
          }
        };

    ExecutorService two = Executors.newFixedThreadPool(2);
    try (ScalerHarness first = new ScalerHarness(aws, prefix, Tracing.NONE, racing);
        ScalerHarness second = new ScalerHarness(aws, prefix, Tracing.NONE, racing)) {
      Future<CycleReport> a = two.submit(first::runOnce);
      Future<CycleReport> b = two.submit(second::runOnce);
      a.get();
      b.get();

      assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore + 1);
      List<String> reasons = new ArrayList<>();
      reasons.add(first.lastLine(name).get("reason").asText());
      reasons.add(second.lastLine(name).get("reason").asText());
      assertThat(reasons).containsExactlyInAnyOrder("BACKLOG", "CONCURRENT_RUN");
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void theEventBridgeEventCarriesTheDecision() throws Exception {
    String name = "announced";
    target(name, 0, Map.of());
    aws.send(queueUrl, 120);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine(name);
      JsonNode event =
          aws.eventsServer.entries().stream()
              .filter(e -> e.path("Detail").asText().contains("\"target\":\"" + name + "\""))
              .reduce((x, y) -> y)
              .orElseThrow();
      assertThat(event.get("Source").asText()).isEqualTo("queue-scaler");
      assertThat(event.get("DetailType").asText()).isEqualTo("Scaling Decision");
      assertThat(event.get("EventBusName").asText()).isEqualTo("default");
      assertThat(JSON.readTree(event.get("Detail").asText())).isEqualTo(line);
    }
  }

  @Test
  void anUnreadableQueueHoldsWithAnErrorAndNeverScalesIn() {
    aws.ecsServer.put("workers", "ghost-svc", 4, 4, 0);
    aws.putTarget(prefix, "ghost", queueUrl + "-does-not-exist", "ghost-svc", Map.of());

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      JsonNode line = scaler.lastLine("ghost");
      assertThat(line.get("reason").asText()).isEqualTo("QUEUE_UNREADABLE");
      assertThat(line.get("errors").toString()).contains("GetQueueAttributes");
      assertThat(aws.ecsServer.desired("workers", "ghost-svc")).isEqualTo(4);
      // What was not read is null, never a 0 that looks like an empty queue.
      for (String field : List.of("visible", "inFlight", "delayed", "backlog", "recommended")) {
        assertThat(line.get(field).isNull()).as(field).isTrue();
      }
      assertThat(line.get("current").asInt()).isEqualTo(4);
      assertThat(line.get("desired").asInt()).isEqualTo(4);
      String emf = emfLine(scaler, "ghost");
      assertThat(emf).doesNotContain("\"Backlog\"").contains("\"DesiredTasks\":4");
      assertThat(emf).contains("\"Errors\":1");
    }
  }

  @Test
  void anUnreadableServiceReportsNullsNeverZeros() {
    aws.putTarget(prefix, "vanished", queueUrl, "vanished-svc", Map.of());
    aws.send(queueUrl, 30);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      JsonNode line = scaler.lastLine("vanished");
      assertThat(line.get("reason").asText()).isEqualTo("SERVICE_UNREADABLE");
      assertThat(line.get("backlog").asLong()).isEqualTo(30);
      for (String field : List.of("current", "running", "pending", "recommended", "desired")) {
        assertThat(line.get(field).isNull()).as(field).isTrue();
      }
      String emf = emfLine(scaler, "vanished");
      assertThat(emf)
          .contains("\"Backlog\":30")
          .doesNotContain("DesiredTasks")
          .doesNotContain("RunningTasks");
    }
  }

  @Test
  void whenBothReadsFailTheReasonNamesTheQueueAndErrorsListBoth() {
    aws.putTarget(prefix, "dark", queueUrl + "-gone", "dark-svc", Map.of());

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine("dark");
      assertThat(line.get("reason").asText()).isEqualTo("QUEUE_UNREADABLE");
      assertThat(line.get("errors")).hasSize(2);
      assertThat(line.get("errors").get(0).asText()).startsWith("queue: ");
      assertThat(line.get("errors").get(1).asText()).startsWith("service: ");
      assertThat(emfLine(scaler, "dark")).contains("\"Errors\":2");
    }
  }

  @Test
  void anUnreadableKillSwitchFailsClosed() {
    target("typo", 1, Map.of("enabled", "ture"));
    aws.send(queueUrl, 1_000);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore);
      JsonNode line = scaler.lastLine("typo");
      assertThat(line.get("action").asText()).isEqualTo("HOLD");
      assertThat(line.get("reason").asText()).isEqualTo("CONFIG_INVALID");
      assertThat(line.get("errors").toString()).contains("enabled: \\\"ture\\\" is not true");
      assertThat(report.failed()).as("the target counts as failed").isTrue();
    }
  }

  @Test
  void aFailedUpdateWhoseUndoLosesItsRaceSaysSo() {
    String name = "undo" + System.nanoTime();
    target(name, 0, Map.of());
    aws.ecsServer.breakUpdates("workers", name + "-svc");
    aws.send(queueUrl, 150);
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    DecisionStore anotherCycleWritesFirst =
        new DecisionStore() {
          private int saves;

          @Override
          public StoredState load(TargetName target) {
            return real.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target,
              long expected,
              ScalingHistory next,
              Optional<PendingAction> pending) {
            if (++saves == 2) {
              // The undo: another cycle stored a newer state in between.
              real.save(target, expected, next, Optional.empty());
            }
            return real.save(target, expected, next, pending);
          }
        };

    try (ScalerHarness scaler =
        new ScalerHarness(aws, prefix, Tracing.NONE, anotherCycleWritesFirst)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine(name);
      assertThat(line.get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(line.get("errors").toString())
          .contains("could not undo the recorded action: another cycle stored a newer state");
    }
  }

  @Test
  void aTargetStartsOnlyWhileItsCallsFitTheDeadline() {
    target("late", 0, Map.of());
    aws.send(queueUrl, 50);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      // 6 calls at 5 s each plus the margin do not fit in 20 s.
      CycleReport report =
          scaler.run(
              CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(20))));

      assertThat(report.failed()).isTrue();
      assertThat(report.failures()).singleElement().asString().contains("late: skipped");
      assertThat(scaler.decisionLines()).isEmpty();
      assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore);
    }
  }

  @Test
  void noStateIsWrittenWithoutTimeLeftToAct() {
    String name = "slowread" + System.nanoTime();
    target(name, 0, Map.of());
    aws.send(queueUrl, 50);
    int updatesBefore = aws.ecsServer.calls("UpdateService").size();
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      DecisionStore slowLoad =
          new DecisionStore() {
            @Override
            public StoredState load(TargetName target) {
              scaler.clock.advance(Duration.ofSeconds(20)); // a slow read ate the time
              return real.load(target);
            }

            @Override
            public Optional<StoredState> save(
                TargetName target,
                long expected,
                ScalingHistory next,
                Optional<PendingAction> pending) {
              return real.save(target, expected, next, pending);
            }
          };
      try (ScalerHarness slow =
          new ScalerHarness(aws, prefix, Tracing.NONE, slowLoad, scaler.clock)) {
        CycleReport report =
            slow.run(
                CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(35))));

        assertThat(report.failed()).isTrue();
        JsonNode line = slow.lastLine(name);
        assertThat(line.get("reason").asText()).isEqualTo("OUT_OF_TIME");
        assertThat(line.get("errors").toString()).contains("deadline:");
        assertThat(real.load(new TargetName(name)).version()).as("nothing stored").isZero();
        assertThat(aws.ecsServer.calls("UpdateService")).hasSize(updatesBefore);
      }
    }
  }

  private static String emfLine(ScalerHarness scaler, String target) {
    return scaler
        .logs()
        .lines()
        .filter(l -> l.contains("\"_aws\"") && l.contains("\"Target\":\"" + target + "\""))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void aTargetMissingARequiredKeyIsSkippedAndTheOthersRun() {
    target("complete", 0, Map.of());
    aws.ssmServer.put(prefix + "/incomplete/queue-url", queueUrl);
    aws.ssmServer.put(prefix + "/complete/no-such-key", "1");
    aws.send(queueUrl, 10);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      assertThat(report.failures())
          .singleElement()
          .asString()
          .contains("incomplete: skipped: cluster is required but missing");
      assertThat(scaler.lastLine("complete").get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(scaler.logs()).contains("complete: unknown key \\\"no-such-key\\\" ignored");
    }
  }

  @Test
  void theDecisionLineHasExactlyTheContractFieldsInOrder() {
    target("orders", 0, Map.of());

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      List<String> fields = new ArrayList<>();
      Iterator<String> names = scaler.lastLine("orders").fieldNames();
      names.forEachRemaining(fields::add);
      assertThat(fields)
          .containsExactly(
              "target",
              "visible",
              "inFlight",
              "delayed",
              "backlog",
              "current",
              "running",
              "pending",
              "recommended",
              "desired",
              "action",
              "reason",
              "dryRun",
              "errors",
              "time");
      assertThat(scaler.lastLine("orders").get("time").asText()).isEqualTo("2026-11-27T12:00:00Z");
    }
  }
}
