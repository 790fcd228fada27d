package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.DynamoDbCycleLease;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.testing.EntriesPerCall;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;

/**
 * End-to-end scenarios of one scaling cycle with AWS's behaviour and no injected fault: ElasticMQ
 * (SQS), dynalite (DynamoDB) and moto (ECS, SSM, EventBridge), the real SDK clients in between.
 * Scenarios that inject faults are in {@link ScalingCycleFaultsIT}.
 */
class ScalingCycleIT extends CycleScenarios {

  @Override
  LocalAws servers() {
    return LocalAws.withMoto();
  }

  @Test
  void scalesFromZeroOnTheFirstMessage() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 1);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isFalse();
      assertThat(aws.desired("orders-svc")).isEqualTo(1);
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

      assertThat(aws.desired("orders-svc")).isEqualTo(7);
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
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("STABILIZING");
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      scaler.clock.advance(Duration.ofSeconds(241));
      scaler.runOnce();
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
      assertThat(aws.desired("orders-svc")).isZero();
    }
  }

  /**
   * A target put on a service already running (adopting it from another scaler, or from hand) has
   * no history: the fleet it finds counts as asked for at first sight, so the window and the delay
   * to zero run from there, as a new Kubernetes HPA records the current replicas as its first
   * recommendation. Dropping 20 tasks on the first read of an empty queue would stop work the
   * scaler never saw start.
   */
  @Test
  void aTargetAddedToARunningServiceHoldsTheFleetItFindsThroughTheWindow() {
    target(
        "orders",
        20,
        Map.of(
            "max-tasks", "50",
            "scale-in-stabilization-seconds", "210",
            "scale-to-zero-delay-seconds", "300"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("at first sight").isEqualTo(20);
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("STABILIZING");

      scaler.clock.advance(Duration.ofSeconds(200));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("inside the window").isEqualTo(20);

      scaler.clock.advance(Duration.ofSeconds(20));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("past the window, inside the delay").isEqualTo(1);

      scaler.clock.advance(Duration.ofSeconds(90));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("past the delay to zero").isZero();
    }
  }

  /**
   * A target switched off keeps no history while it is off; switched back on after longer than its
   * windows, the fleet set by hand meanwhile is one it never saw, as a paused KEDA scaler's HPA is
   * recreated and records the replicas it finds.
   */
  @Test
  void aTargetSwitchedBackOnHoldsTheFleetSetByHandWhileItWasOffThroughTheWindow() {
    target("orders", 0, Map.of("max-tasks", "50", "scale-in-stabilization-seconds", "210"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      switchOffSetByHandAndSwitchOnAnHourLater(scaler, 20);
      assertThat(aws.desired("orders-svc"))
          .as("the first read after switching on: %s", scaler.lastLine("orders"))
          .isEqualTo(20);

      scaler.clock.advance(Duration.ofSeconds(220));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("past the window, inside the delay").isEqualTo(1);
    }
  }

  /**
   * Switched off while busy, trimmed by hand, switched back on: the trimmed fleet is no count the
   * scaler set, though an older ask of its own was larger.
   */
  @Test
  void aTargetSwitchedOffWhileBusyAndTrimmedByHandHoldsTheTrimmedFleetThroughTheWindow() {
    target("orders", 0, Map.of("max-tasks", "50", "backlog-per-task", "10"));
    aws.send(queueUrl, 300);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(30);
      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      switchOffSetByHandAndSwitchOnAnHourLater(scaler, 20);
      assertThat(aws.desired("orders-svc"))
          .as("the first read after switching on: %s", scaler.lastLine("orders"))
          .isEqualTo(20);
    }
  }

  /**
   * Switches target orders off, sets its service to {@code count} by hand, and switches it back on
   * an hour later, a cycle a minute apart at each step (the one after switching on is the last).
   */
  private void switchOffSetByHandAndSwitchOnAnHourLater(ScalerHarness scaler, int count) {
    aws.putParameter(prefix + "/orders/enabled", "false");
    scaler.clock.advance(Duration.ofSeconds(60));
    scaler.runOnce();
    assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("DISABLED");
    aws.service("orders-svc", count);
    scaler.clock.advance(Duration.ofMinutes(60));
    scaler.runOnce();
    aws.putParameter(prefix + "/orders/enabled", "true");
    scaler.clock.advance(Duration.ofSeconds(60));
    scaler.runOnce();
  }

  /**
   * A dry run stores nothing, so a first-sight hold would hold its every line and hide the scale-in
   * an operator trying settings beside a live target wants to see.
   */
  @Test
  void aDryRunShowsTheCountTheFormulaAsksForRatherThanAFirstSightHold() {
    target("trial", 20, Map.of("dry-run", "true"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine("trial");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
      assertThat(line.get("desired").asInt()).isZero();
      assertThat(aws.desired("trial-svc")).isEqualTo(20);
    }
  }

  /**
   * A warm fleet found at min-tasks is what its first sample asks for: nothing to hold, so nothing
   * is added, and the first sample is stored with its in-flight count (the load term's quiet run
   * counts from it).
   */
  @Test
  void aFleetFoundAtMinTasksStoresItsFirstSampleNotTheFleetAsFound() {
    target("warm", 1, Map.of("min-tasks", "1", "task-concurrency", "10"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      List<Recommendation> stored =
          new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE)
              .load(new TargetName("warm"))
              .history()
              .recommendations();
      assertThat(stored).singleElement().satisfies(r -> assertThat(r.inFlight()).hasValue(0));
    }
  }

  /** A state item deleted (by hand, or a table restored without it) is a target seen anew. */
  @Test
  void aTargetWhoseStoredStateIsLostHoldsItsFleetThroughTheWindowLikeANewOne() {
    target("orders", 0, Map.of("backlog-per-task", "10", "scale-in-stabilization-seconds", "210"));
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      aws.dynamoDb.deleteItem(
          d -> d.tableName(LocalAws.TABLE).key(Map.of("target", AttributeValue.fromS("orders"))));
      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("STABILIZING");

      scaler.clock.advance(Duration.ofSeconds(190));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc"))
          .as("250 s after the lost state's last sample, 190 s after first sight")
          .isEqualTo(5);

      scaler.clock.advance(Duration.ofSeconds(21));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("the window ran from first sight").isEqualTo(1);
    }
  }

  @Test
  void theLoadTermSizesAFleetForTheMessagesItHoldsWhereTheBacklogAloneWouldNot() {
    target(
        "orders",
        2,
        Map.of(
            "policy", "backlog-and-load",
            "task-concurrency", "10",
            "target-utilization-percent", "60"));
    aws.send(queueUrl, 25);
    List<String> receipts = holdInFlight(25);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      // ceil(25 / 100) = 1 by the backlog; ceil(25 / (10 x 60 %)) = 5 by the load.
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("inFlight").asLong()).isEqualTo(25);
      assertThat(line.get("reason").asText()).isEqualTo("LOAD");
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      // The work is done; the stored sample still counts in the 60 s average: (25 + 0) / 2 over
      // 6 per task is 3 tasks, which a lost sample (0) would not give.
      receipts.forEach(r -> aws.sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(r)));
      scaler.clock.advance(Duration.ofSeconds(20));
      scaler.runOnce();
      assertThat(scaler.lastLine("orders").get("recommended").asInt()).isEqualTo(3);
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
    }
  }

  @Test
  void aQueueDrainedForAMinuteScalesInWithoutWaitingOutTheWindow() {
    target(
        "orders",
        2,
        Map.of(
            "policy", "backlog-and-load",
            "task-concurrency", "10",
            "target-utilization-percent", "60",
            "scale-in-when-drained", "true"));
    aws.send(queueUrl, 25);
    List<String> receipts = holdInFlight(25);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      // The work is done. The first empty read after a minute without samples is no evidence of a
      // quiet minute: the 210 s window holds the fleet.
      receipts.forEach(r -> aws.sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(r)));
      scaler.clock.advance(Duration.ofSeconds(61));
      scaler.runOnce();
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("STABILIZING");
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      // A minute after that read (which asked for no task and saw nothing in flight): down to the
      // one task that waits out the 300 s scale-to-zero delay, 89 s before the 210 s window would
      // let the first sample's 5 go.
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
      assertThat(line.get("reason").asText()).isEqualTo("DRAINED");
      assertThat(aws.desired("orders-svc")).isEqualTo(1);
    }
  }

  @Test
  void betweenBurstsEverySevenMinutesTheFleetIsReleasedOnceFourBurstsShowThePeriod() {
    target(
        "orders",
        0,
        Map.of(
            "policy", "backlog-and-load",
            "task-concurrency", "10",
            "backlog-per-task", "10",
            "scale-in-between-bursts", "true"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      Instant start = scaler.clock.instant();
      for (int burst = 0; burst < 4; burst++) {
        Instant began = start.plusSeconds(420L * burst);
        if (burst > 0) {
          // The lull before this burst, 300 s after the last began: the window and the
          // scale-to-zero delay let its fleet go.
          scaler.clock.advanceTo(began.minusSeconds(120));
          scaler.runOnce();
          assertThat(aws.desired("orders-svc")).isZero();
        }
        aws.send(queueUrl, 50);
        scaler.clock.advanceTo(began);
        scaler.runOnce();
        assertThat(aws.desired("orders-svc")).isEqualTo(5);
        aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));

        // Worked off 45 s after the burst began: the read is stored (the 210 s window holds the
        // fleet, and a release waits for a minute after the scale-out).
        scaler.clock.advanceTo(began.plusSeconds(45));
        scaler.runOnce();
        assertThat(aws.desired("orders-svc")).isEqualTo(5);

        // A minute after the burst began, its queue read empty again: three bursts are no period
        // yet, and the window holds the fleet; after the fourth the next is due in six minutes.
        scaler.clock.advanceTo(began.plusSeconds(60));
        scaler.runOnce();
        JsonNode line = scaler.lastLine("orders");
        if (burst < 3) {
          assertThat(line.get("reason").asText()).isEqualTo("STABILIZING");
          assertThat(aws.desired("orders-svc")).isEqualTo(5);
        } else {
          assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
          assertThat(line.get("reason").asText()).isEqualTo("BETWEEN_BURSTS");
          assertThat(aws.desired("orders-svc")).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void afterThreeLongPausesTheLastTaskStopsOnceTheQueueIsDrainedNotAfterTheDelay() {
    target(
        "orders",
        0,
        Map.of(
            "policy", "backlog-and-load",
            "task-concurrency", "10",
            "backlog-per-task", "10",
            "scale-in-between-bursts", "false",
            "scale-in-after-long-pauses", "true"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      Instant start = scaler.clock.instant();
      for (int batch = 0; batch < 4; batch++) {
        // A small batch every 400 s: each pause outlasts the 300 s delay to zero.
        Instant began = start.plusSeconds(400L * batch);
        aws.send(queueUrl, 5);
        scaler.clock.advanceTo(began);
        scaler.runOnce();
        assertThat(aws.desired("orders-svc")).isEqualTo(1);
        aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));

        // Worked off: the read 45 s in is stored, asking for no task.
        scaler.clock.advanceTo(began.plusSeconds(45));
        scaler.runOnce();
        assertThat(aws.desired("orders-svc")).isEqualTo(1);

        // A minute in, the queue has been drained for a minute. Before three pauses are known,
        // the task waits for the delay; after them, it stops.
        scaler.clock.advanceTo(began.plusSeconds(60));
        scaler.runOnce();
        JsonNode line = scaler.lastLine("orders");
        if (batch < 3) {
          assertThat(line.get("reason").asText()).isEqualTo("STABILIZING");
          assertThat(aws.desired("orders-svc")).isEqualTo(1);
          // The delay lets it go before the next batch.
          scaler.clock.advanceTo(began.plusSeconds(360));
          scaler.runOnce();
          assertThat(aws.desired("orders-svc")).isZero();
        } else {
          assertThat(line.get("action").asText()).isEqualTo("SCALE_IN");
          assertThat(line.get("reason").asText()).isEqualTo("LONG_PAUSES");
          assertThat(aws.desired("orders-svc")).isZero();
        }
      }
    }
  }

  @Test
  void aBatchWorkedOffBetweenTwoInvocationsIsNotDrainedByItsFirstEmptyRead() {
    target(
        "orders",
        0,
        Map.of(
            "policy", "backlog-and-load",
            "task-concurrency", "10",
            "target-utilization-percent", "60",
            "backlog-per-task", "10",
            "scale-in-when-drained", "true"));
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      Instant start = scaler.clock.instant();
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);

      // The batch waited visible through the invocation's samples (its tasks were launching), then
      // the tasks worked it off before the next invocation: one empty read, no minute of them.
      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      scaler.clock.advanceTo(start.plusSeconds(60));
      scaler.runOnce();

      assertThat(scaler.decisionLines())
          .noneMatch(line -> line.path("reason").asText().equals("DRAINED"));
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
    }
  }

  /** Receives {@code count} messages and keeps them in flight; returns their receipt handles. */
  private List<String> holdInFlight(int count) {
    List<String> receipts = new ArrayList<>();
    while (receipts.size() < count) {
      aws.sqs
          .receiveMessage(
              r ->
                  r.queueUrl(queueUrl)
                      .maxNumberOfMessages(Math.min(10, count - receipts.size()))
                      .visibilityTimeout(600))
          .messages()
          .forEach(m -> receipts.add(m.receiptHandle()));
    }
    return receipts;
  }

  @Test
  void aDeletedServiceFailsOnlyItsOwnTargetInTheRoundsBatchedRead() {
    target("orders", 0, Map.of());
    aws.putTarget(
        prefix, "gone", aws.createQueue(prefix.substring(1) + "-gone"), "gone-svc", Map.of());
    aws.send(queueUrl, 120);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      JsonNode gone = scaler.lastLine("gone");
      assertThat(gone.get("reason").asText()).isEqualTo("SERVICE_UNREADABLE");
      assertThat(gone.get("errors").toString()).contains("MISSING");
      assertThat(scaler.lastLine("orders").get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(aws.desired("orders-svc")).isEqualTo(2);
    }
  }

  @Test
  void anSsmChangeTakesEffectNextCycle() {
    target("orders", 0, Map.of("backlog-per-task", "10", "max-tasks", "2"));
    aws.send(queueUrl, 100);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(2);
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("MAX_TASKS");

      aws.putParameter(prefix + "/orders/max-tasks", "4");
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      assertThat(aws.desired("orders-svc")).isEqualTo(4);
    }
  }

  @Test
  void aTargetThatNeverHadAValidConfigurationHoldsAndSaysWhy() {
    target("orders", 0, Map.of("max-tasks", "abc", "backlog-per-task", "-5"));
    aws.send(queueUrl, 250);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(aws.desired("orders-svc")).as("no UpdateService").isZero();
      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("HOLD");
      assertThat(line.get("reason").asText()).isEqualTo("CONFIG_INVALID");
      assertThat(errors(line))
          .anySatisfy(e -> assertThat(e).startsWith("max-tasks: \"abc\" is not an integer"))
          .anySatisfy(e -> assertThat(e).startsWith("backlog-per-task: -5 is out of range (>= 1)"))
          .allSatisfy(e -> assertThat(e).contains("no valid configuration yet"));
      assertThat(report.failed()).as("a target that cannot run counts as failed").isTrue();
      assertThat(emfLine(scaler, "orders")).contains("\"ConfigErrors\":2");
    }
  }

  @Test
  void aBadValueNeverChangesWhatARunningTargetDoes() {
    target("orders", 40, Map.of("max-tasks", "50", "backlog-per-task", "10"));
    aws.send(queueUrl, 400);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(40);

      aws.putParameter(prefix + "/orders/max-tasks", "1,000");
      for (int cycle = 0; cycle < 3; cycle++) {
        scaler.clock.advance(Duration.ofSeconds(60));
        CycleReport report = scaler.runOnce();

        assertThat(aws.desired("orders-svc")).as("not scaled in to the default 10").isEqualTo(40);
        assertThat(errors(scaler.lastLine("orders")))
            .containsExactly(
                "max-tasks: \"1,000\" is not an integer; change not applied: the last valid"
                    + " configuration (stored 2026-11-27T12:00:00Z) stays in force");
        assertThat(emfLine(scaler, "orders"))
            .as("reported on every cycle until fixed")
            .contains("\"ConfigErrors\":1")
            .as("also without a dimension, for the one alarm over every target")
            .contains(
                "{\"Namespace\":\"QueueScaler\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":"
                    + "\"ConfigErrors\",\"Unit\":\"Count\"}]}");
        assertThat(report.failed()).as("the target runs on its last valid one").isFalse();
      }

      aws.putParameter(prefix + "/orders/max-tasks", "30");
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).as("the fixed value applies").isEqualTo(30);
      assertThat(emfLine(scaler, "orders")).contains("\"ConfigErrors\":0");
    }
  }

  @Test
  void anUnknownKeyIsAChangeNotAppliedNotAWarning() {
    target("orders", 40, Map.of("max-tasks", "50", "backlog-per-task", "10"));
    aws.send(queueUrl, 400);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      // A typo in the key's name: max-tasks is gone, so its default (10) would apply.
      aws.deleteParameter(prefix + "/orders/max-tasks");
      aws.putParameter(prefix + "/orders/max_tasks", "50");
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      assertThat(aws.desired("orders-svc")).isEqualTo(40);
      assertThat(errors(scaler.lastLine("orders")))
          .singleElement()
          .asString()
          .startsWith("unknown key \"max_tasks\" (did you mean max-tasks?); change not applied");
    }
  }

  @Test
  void aNewContainerFindsTheLastValidConfigurationInTheStateTable() {
    target("orders", 40, Map.of("max-tasks", "50", "backlog-per-task", "10"));
    aws.send(queueUrl, 400);
    try (ScalerHarness first = new ScalerHarness(aws, prefix)) {
      first.runOnce();
    }
    aws.putParameter(prefix + "/orders/max-tasks", "1,000");

    try (ScalerHarness second = new ScalerHarness(aws, prefix)) {
      second.clock.advance(Duration.ofSeconds(60));
      second.runOnce();

      assertThat(aws.desired("orders-svc")).isEqualTo(40);
      assertThat(errors(second.lastLine("orders")))
          .singleElement()
          .asString()
          .endsWith("the last valid configuration (stored 2026-11-27T12:00:00Z) stays in force");
    }
  }

  @Test
  void aRequiredKeyDeletedFromARunningTargetLeavesItsLastValidConfigurationInForce() {
    target("orders", 0, Map.of("backlog-per-task", "10"));
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      aws.deleteParameter(prefix + "/orders/service");
      aws.send(queueUrl, 50);
      scaler.clock.advance(Duration.ofSeconds(60));
      CycleReport report = scaler.runOnce();

      assertThat(aws.desired("orders-svc")).as("still scaled on its last valid one").isEqualTo(10);
      assertThat(errors(scaler.lastLine("orders")))
          .singleElement()
          .asString()
          .startsWith("service is required but missing; change not applied");
      assertThat(report.failed()).isFalse();
    }
  }

  @Test
  void aSecondTargetNamingARunningTargetsServiceIsRejectedAndTheFirstKeepsActing() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 500);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
      // A copy of the target on an empty queue, for the same service: it would scale it to 0.
      aws.putTarget(
          prefix,
          "copy",
          aws.createQueue(prefix.substring(1) + "-copy"),
          "orders-svc",
          Map.of("scale-in-stabilization-seconds", "0", "scale-to-zero-delay-seconds", "0"));

      for (int cycle = 0; cycle < 3; cycle++) {
        scaler.clock.advance(Duration.ofSeconds(60));
        scaler.runOnce();

        assertThat(aws.desired("orders-svc")).as("never undone").isEqualTo(5);
        JsonNode copy = scaler.lastLine("copy");
        assertThat(copy.get("action").asText()).isEqualTo("HOLD");
        assertThat(copy.get("reason").asText()).isEqualTo("CONFIG_INVALID");
        assertThat(errors(copy)).anySatisfy(e -> assertThat(e).contains("target orders"));
        assertThat(errors(scaler.lastLine("orders")))
            .anySatisfy(e -> assertThat(e).contains("target copy"));
      }
    }
  }

  @Test
  void twoNewTargetsNamingOneServiceBothHoldNamingEachOther() {
    target("orders", 2, Map.of());
    aws.send(queueUrl, 500);
    aws.putTarget(
        prefix,
        "copy",
        aws.createQueue(prefix.substring(1) + "-copy"),
        "orders-svc",
        Map.of("scale-in-stabilization-seconds", "0", "scale-to-zero-delay-seconds", "0"));

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(aws.desired("orders-svc")).as("neither acts").isEqualTo(2);
      for (String[] pair : new String[][] {{"orders", "copy"}, {"copy", "orders"}}) {
        JsonNode line = scaler.lastLine(pair[0]);
        assertThat(line.get("action").asText()).isEqualTo("HOLD");
        assertThat(line.get("reason").asText()).isEqualTo("CONFIG_INVALID");
        assertThat(errors(line)).anySatisfy(e -> assertThat(e).contains("target " + pair[1]));
      }
      assertThat(report.failed()).isTrue();
    }
  }

  /** A decision line's errors, as text. */
  private static List<String> errors(JsonNode line) {
    List<String> errors = new ArrayList<>();
    line.get("errors").forEach(e -> errors.add(e.asText()));
    return errors;
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
      assertThat(aws.desired("orders-svc")).isEqualTo(1);
    }
  }

  @Test
  void dryRunNeverCallsUpdateService() {
    target("fromssm", 0, Map.of("dry-run", "true"));
    target("forced", 0, Map.of());
    aws.send(queueUrl, 300);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.run(new CycleRequest(Optional.of(new TargetName("fromssm")), false));
      scaler.run(new CycleRequest(Optional.of(new TargetName("forced")), true));

      assertThat(aws.desired("fromssm-svc")).isZero();
      assertThat(aws.desired("forced-svc")).isZero();
      for (String target : List.of("fromssm", "forced")) {
        JsonNode line = scaler.lastLine(target);
        assertThat(line.get("dryRun").asBoolean()).isTrue();
        assertThat(line.get("action").asText()).isEqualTo("SCALE_OUT");
        assertThat(line.get("desired").asInt()).isEqualTo(3);
      }
    }
  }

  @Test
  void aRoundsDecisionsReachTheBusTenToACallEachEntryItsOwn() {
    for (int i = 0; i < 12; i++) {
      target("e" + i, 0, Map.of());
    }
    aws.send(queueUrl, 120);
    aws.recordEvents();
    aws.events(); // drain what earlier scenarios left

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      List<DecisionRecord> decisions =
          scaler.runOnce().outcomes().stream().map(TargetOutcome::decision).toList();
      assertThat(decisions).hasSize(12).allMatch(d -> d.errors().isEmpty());
      assertThat(aws.events()).as("one event per decision, through the cycle").hasSize(12);

      // The same decisions through a client that counts the entries of each call.
      EntriesPerCall<PutEventsRequest> counting =
          EntriesPerCall.of(PutEventsRequest.class, put -> put.entries().size());
      try (EventBridgeClient client = aws.eventBridgeClient(List.of(counting))) {
        List<Optional<RuntimeException>> results =
            new EventBridgeDecisionEvents(client, "default", prefix).publishAll(decisions);

        assertThat(counting.sizes()).containsExactly(10, 2);
        assertThat(results).hasSize(12).allMatch(Optional::isEmpty);
        assertThat(aws.events()).hasSize(12);
      }
    }
  }

  @Test
  void theEventBridgeEventCarriesTheDecision() throws Exception {
    String name = "announced";
    target(name, 0, Map.of());
    aws.send(queueUrl, 120);

    aws.recordEvents();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine(name);
      // Received through a rule on the default bus, as a consumer in AWS would receive it.
      JsonNode event =
          aws.events().stream()
              .filter(e -> e.path("detail").asText().contains("\"target\":\"" + name + "\""))
              .reduce((x, y) -> y)
              .orElseThrow();
      assertThat(event.get("source").asText()).isEqualTo("queue-scaler");
      assertThat(event.get("detailType").asText()).isEqualTo("Scaling Decision");
      assertThat(event.get("bus").asText()).isEqualTo("default");
      // The decision, field for field; the line's log fields (level, request and trace ids) are
      // about the invocation that wrote it, not part of the decision an event consumer receives,
      // and its lateLanding (an earlier scale the sample saw landed late) has an event of its own.
      ObjectNode decision = line.deepCopy();
      decision.remove(List.of("level", "requestId", "traceId", "lateLanding"));
      ObjectNode detail = (ObjectNode) JSON.readTree(event.get("detail").asText());
      assertThat(detail.get("landedLate").asBoolean()).as("a scale that landed at once").isFalse();
      detail.remove(List.of("prefix", "landedLate"));
      assertThat(detail).isEqualTo(decision);
    }
  }

  @Test
  void decisionEventsNameTheirPrefix() throws Exception {
    String name = "named";
    target(name, 0, Map.of());
    aws.send(queueUrl, 120);
    aws.recordEvents();
    aws.events(); // drain what earlier scenarios left

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode event =
          aws.events().stream()
              .filter(e -> e.path("detail").asText().contains("\"target\":\"" + name + "\""))
              .reduce((x, y) -> y)
              .orElseThrow();
      List<String> fields = new ArrayList<>();
      JSON.readTree(event.get("detail").asText()).fieldNames().forEachRemaining(fields::add);
      // Added after the decision's fields, which keep their names and order for every reader.
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
              "time",
              "prefix",
              "landedLate");
      assertThat(JSON.readTree(event.get("detail").asText()).get("prefix").asText())
          .as("which scaler decided: two in one account have prefixes of their own")
          .isEqualTo(prefix);
    }
  }

  @Test
  void anUnreadableQueueHoldsWithAnErrorAndNeverScalesIn() {
    aws.service("ghost-svc", 4);
    aws.putTarget(prefix, "ghost", queueUrl + "-does-not-exist", "ghost-svc", Map.of());

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      JsonNode line = scaler.lastLine("ghost");
      assertThat(line.get("reason").asText()).isEqualTo("QUEUE_UNREADABLE");
      assertThat(line.get("errors").toString()).contains("GetQueueAttributes");
      assertThat(aws.desired("ghost-svc")).isEqualTo(4);
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

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(aws.desired("typo-svc")).as("no UpdateService").isEqualTo(1);
      JsonNode line = scaler.lastLine("typo");
      assertThat(line.get("action").asText()).isEqualTo("HOLD");
      assertThat(line.get("reason").asText()).isEqualTo("CONFIG_INVALID");
      assertThat(line.get("errors").toString()).contains("enabled: \\\"ture\\\" is not true");
      assertThat(report.failed()).as("the target counts as failed").isTrue();
    }
  }

  @Test
  void aTargetStartsOnlyWhileItsCallsFitTheDeadline() {
    target("late", 0, Map.of());
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      // 6 calls at 5 s each plus the margin do not fit in 20 s.
      CycleReport report =
          scaler.run(
              CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(20))));

      assertThat(report.failed()).isTrue();
      assertThat(report.failures()).singleElement().asString().contains("late: skipped");
      assertThat(scaler.decisionLines()).isEmpty();
      assertThat(aws.desired("late-svc")).isZero();
    }
  }

  @Test
  void aTargetTheDeadlineSkippedGoesFirstInTheNextCycleAndIsNotSkippedAgain() {
    for (String name : List.of("a", "b", "c")) {
      target(name, 0, Map.of());
    }
    aws.send(queueUrl, 50);
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    List<ScalerHarness> harness = new ArrayList<>();
    DecisionStore slowSave =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            return real.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> p) {
            harness.get(0).clock.advance(Duration.ofSeconds(25)); // each save eats 25 s
            return real.save(target, expected, next, p);
          }
        };

    try (ScalerHarness scaler = ScalerHarness.sequential(aws, prefix, slowSave)) {
      harness.add(scaler);
      // 90 s: a target stores its state only with 42 s left (a save and an update at their worst,
      // 20 s each, and the margin), so after two 25 s saves the third is out of time.
      CycleReport first =
          scaler.run(
              CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(90))));
      assertThat(first.failures()).singleElement().asString().startsWith("c: OUT_OF_TIME");

      scaler.clock.advance(Duration.ofSeconds(60));
      aws.send(queueUrl, 200); // all three scale out again: three updates, room for two
      CycleReport second =
          scaler.run(
              CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(90))));

      assertThat(second.outcomes().get(0).decision().target()).isEqualTo("c");
      assertThat(second.failures()).singleElement().asString().startsWith("b: OUT_OF_TIME");
    }
  }

  @Test
  void anOverlappingCycleNeitherReadsNorActsWhileAnotherHoldsTheLease() throws Exception {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch firstGoesOn = new CountDownLatch(1);
    DecisionStore stalling =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            firstInside.countDown();
            try {
              firstGoesOn.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return real.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
            return real.save(target, expected, next, last);
          }
        };
    // Near AWS's time: a leased cycle checks its clock against the state table's.
    MutableClock clock = new MutableClock(Instant.now());
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (ScalerHarness first = ScalerHarness.leased(aws, prefix, stalling, clock);
        ScalerHarness second = ScalerHarness.leased(aws, prefix, real, clock)) {
      Deadline lambda = Deadline.at(clock.instant().plusSeconds(90));
      Future<CycleReport> running =
          background.submit(() -> first.run(CycleRequest.ALL_TARGETS.by(lambda)));
      assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();

      CycleReport overlapping = second.run(CycleRequest.ALL_TARGETS.by(lambda));

      assertThat(overlapping.outcomes()).as("no decision while another cycle runs").isEmpty();
      assertThat(overlapping.failures())
          .singleElement()
          .asString()
          .contains("holds the lease until");
      assertThat(aws.desired("orders-svc")).isZero();

      firstGoesOn.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS).failed()).isFalse();
      assertThat(aws.desired("orders-svc")).isEqualTo(2);
      assertThat(second.runOnce().failures()).as("the lease was given back").isEmpty();
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void aLeaseLeftByAKilledInvocationEndsWithItsDeadline() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    MutableClock clock = new MutableClock(Instant.now());
    // A killed invocation never gave its lease back; it ended at that invocation's deadline, 8 s
    // ago, so with the skew allowance it is free in 2 s.
    new DynamoDbCycleLease(aws.dynamoDb, LocalAws.TABLE)
        .tryAcquire(
            new CycleLease.Holder("killed", clock.instant().minusSeconds(8)), clock.instant());

    try (ScalerHarness next =
        ScalerHarness.leased(
            aws, prefix, new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE), clock)) {
      CycleReport report =
          next.run(CycleRequest.ALL_TARGETS.by(Deadline.at(clock.instant().plusSeconds(90))));

      assertThat(report.failures()).as("it waited the lease out, then ran").isEmpty();
      assertThat(aws.desired("orders-svc")).isEqualTo(2);
    }
  }

  @Test
  void anActionKilledBeforeItsUpdateHoldsTheTargetOnlyUntilItWouldHaveSettled() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    DecisionStore store = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    try (ScalerHarness killed = new ScalerHarness(aws, prefix)) {
      // What a Lambda killed between its state write and its UpdateService leaves: the action
      // stored, settling two worst calls after the save, and ECS still at 0.
      Instant at = killed.clock.instant();
      store.save(
          new TargetName("orders"),
          0,
          new ScalingHistory(List.of(new Recommendation(at, 2)), Optional.of(at)),
          Optional.of(new LastAction(2, at, at.plus(AwsClients.WORST_CALL.multipliedBy(2)))));

      killed.clock.advance(Duration.ofSeconds(30));
      assertThat(killed.runOnce().outcomes().get(0).decision().reason())
          .as("while the update might still land")
          .isEqualTo(Reason.CONCURRENT_RUN);

      killed.clock.advance(Duration.ofSeconds(11));
      killed.runOnce();
      assertThat(aws.desired("orders-svc")).as("41 s later, not a minute").isEqualTo(2);
    }
  }

  @Test
  void aCycleWhoseClockIsFarFromAwsTakesNoLeaseAndChangesNothing() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    Instant realNow = Instant.now();
    DynamoDbCycleLease lease = new DynamoDbCycleLease(aws.dynamoDb, LocalAws.TABLE);
    // The Lambda holds the lease for its next 90 s.
    assertThat(lease.tryAcquire(new CycleLease.Holder("lambda", realNow.plusSeconds(90)), realNow))
        .isEmpty();
    // The CLI on a laptop 10 minutes fast: by its clock that lease ended long ago.
    MutableClock laptop = new MutableClock(realNow.plus(Duration.ofMinutes(10)));

    try (ScalerHarness cli =
        ScalerHarness.leased(
            aws, prefix, new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE), laptop)) {
      CycleReport report = cli.runOnce();

      assertThat(report.outcomes()).isEmpty();
      assertThat(report.failures())
          .singleElement()
          .asString()
          .contains("s ahead of AWS's")
          .contains("fix its time sync");
      assertThat(aws.desired("orders-svc")).isZero();
    }
    assertThat(lease.tryAcquire(new CycleLease.Holder("another", realNow.plusSeconds(1)), realNow))
        .as("the Lambda's lease is still the Lambda's")
        .map(CycleLease.Holder::id)
        .contains("lambda");
  }

  @Test
  void aParameterNoTargetCanOwnFailsTheCycleUntilItIsFixed() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    aws.putParameter(prefix + "/orders.max-tasks", "50");

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failures())
          .singleElement()
          .asString()
          .contains("ignoring parameter \"orders.max-tasks\"");
      assertThat(aws.desired("orders-svc")).as("the target itself still scales").isEqualTo(2);
    }
  }

  @Test
  void aStateWrittenByAClockTenMinutesFastNeverFreezesATarget() {
    target("orders", 1, Map.of("backlog-per-task", "10", "policy", "backlog-per-task"));
    aws.send(queueUrl, 10);
    DecisionStore store = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    MutableClock laptop = new MutableClock(Instant.parse("2026-11-27T12:10:00Z"));
    try (ScalerHarness fast = new ScalerHarness(aws, prefix, Tracing.NONE, store, laptop)) {
      fast.runOnce(); // the CLI on a laptop whose clock is 10 minutes ahead: holds at 1
    }
    aws.send(queueUrl, 40);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.clock.advance(Duration.ofSeconds(30));
      CycleReport report = scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("reason").asText()).isNotEqualTo("CONCURRENT_RUN");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
      assertThat(line.get("errors").toString()).contains("clock:").contains("570 s ahead");
      assertThat(report.failed()).isFalse();
    }
  }

  @Test
  void noStateIsWrittenWithoutTimeLeftToAct() {
    String name = "slowread" + System.nanoTime();
    target(name, 0, Map.of());
    aws.send(queueUrl, 50);
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
                Optional<LastAction> pending) {
              return real.save(target, expected, next, pending);
            }
          };
      try (ScalerHarness slow =
          new ScalerHarness(aws, prefix, Tracing.NONE, slowLoad, scaler.clock)) {
        CycleReport report =
            slow.run(
                CycleRequest.ALL_TARGETS.by(Deadline.at(scaler.clock.instant().plusSeconds(50))));

        assertThat(report.failed()).isTrue();
        JsonNode line = slow.lastLine(name);
        assertThat(line.get("reason").asText()).isEqualTo("OUT_OF_TIME");
        assertThat(line.get("errors").toString()).contains("deadline:");
        assertThat(real.load(new TargetName(name)).version()).as("nothing stored").isZero();
        assertThat(aws.desired(name + "-svc")).isZero();
      }
    }
  }

  @Test
  void anActiveTargetIsSampledEveryIntervalWithinTheMinuteAnIdleOneOnce() {
    target("busy", 0, Map.of("sample-interval-seconds", "15"));
    aws.service("idle-svc", 0);
    aws.putTarget(prefix, "idle", aws.createQueue("idle-queue"), "idle-svc", Map.of());
    aws.send(queueUrl, 250);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.run(CycleRequest.ALL_TARGETS.within(Duration.ofMinutes(1)));

      assertThat(report.failed()).isFalse();
      List<String> busy = new ArrayList<>();
      List<String> idle = new ArrayList<>();
      for (JsonNode line : scaler.decisionLines()) {
        (line.get("target").asText().equals("busy") ? busy : idle)
            .add(line.get("time").asText().substring(11));
      }
      assertThat(busy).containsExactly("12:00:00Z", "12:00:15Z", "12:00:30Z", "12:00:45Z");
      assertThat(idle).as("an empty queue and no task: once").containsExactly("12:00:00Z");
      assertThat(aws.desired("busy-svc")).isEqualTo(3);
    }
  }

  @Test
  void aTargetThatWaitedForAThreadSamplesOnceThenKeepsTheScheduleNotAllItMissedAtOnce() {
    // More active targets than the pool's 8 threads: the ninth starts only when one is free.
    int targets = ScalingCycle.DEFAULT_PARALLELISM + 1;
    Map<String, List<String>> times = aMinuteOfActiveTargets(targets);

    assertThat(times).hasSize(targets);
    times.forEach(
        (target, at) ->
            assertThat(at)
                .as(target + " never decides twice at one instant")
                .doesNotHaveDuplicates());
  }

  @Test
  void moreActiveTargetsThanThreadsAreAllSampledOnSchedule() {
    // Waiting for the next sample holds no thread: one coordinator waits, the pool only decides.
    int targets = 2 * ScalingCycle.DEFAULT_PARALLELISM;
    Map<String, List<String>> times = aMinuteOfActiveTargets(targets);

    assertThat(times).hasSize(targets);
    times.forEach(
        (target, at) ->
            assertThat(at)
                .as(target)
                .containsExactly("12:00:00Z", "12:00:15Z", "12:00:30Z", "12:00:45Z"));
  }

  /**
   * {@code count} targets sampled every 15 s, each with a backlog, run for one invocation's minute:
   * each target's decision times of day.
   */
  private Map<String, List<String>> aMinuteOfActiveTargets(int count) {
    for (int i = 0; i < count; i++) {
      target("t" + i, 0, Map.of("sample-interval-seconds", "15"));
    }
    aws.send(queueUrl, 250);
    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.run(CycleRequest.ALL_TARGETS.within(Duration.ofMinutes(1)));
      return decisionTimesByTarget(scaler);
    }
  }

  /** Each target's decision times of day ({@code 12:00:15Z}), in order. */
  private static Map<String, List<String>> decisionTimesByTarget(ScalerHarness scaler) {
    Map<String, List<String>> times = new java.util.TreeMap<>();
    for (JsonNode line : scaler.decisionLines()) {
      times
          .computeIfAbsent(line.get("target").asText(), t -> new ArrayList<>())
          .add(line.get("time").asText().substring(11));
    }
    return times;
  }

  @Test
  void aSampleStartsOnlyWhileItsCallsFitTheDeadline() {
    target("sampled", 0, Map.of("sample-interval-seconds", "15"));
    aws.send(queueUrl, 250);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      // 60 s left: the samples at 0 and 15 s fit (6 calls x 5 s + 2 s); the one at 30 s does not.
      CycleReport report =
          scaler.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(scaler.clock.instant().plusSeconds(60)))
                  .within(Duration.ofMinutes(1)));

      assertThat(report.failed()).as("later samples skipped are not failures").isFalse();
      assertThat(scaler.decisionLines()).hasSize(2);
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
  void aTargetMissingARequiredKeyHoldsWithoutReadingAndTheOthersRun() {
    target("complete", 0, Map.of());
    aws.putParameter(prefix + "/incomplete/queue-url", queueUrl);
    aws.send(queueUrl, 10);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      assertThat(report.failures())
          .singleElement()
          .asString()
          .startsWith("incomplete: CONFIG_INVALID cluster is required but missing");
      JsonNode incomplete = scaler.lastLine("incomplete");
      assertThat(incomplete.get("action").asText()).isEqualTo("HOLD");
      assertThat(incomplete.get("reason").asText()).isEqualTo("CONFIG_INVALID");
      assertThat(incomplete.get("backlog").isNull()).as("nothing read").isTrue();
      assertThat(scaler.lastLine("complete").get("action").asText()).isEqualTo("SCALE_OUT");
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
              "level",
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
              "time",
              "requestId",
              "traceId",
              "lateLanding");
      assertThat(scaler.lastLine("orders").get("time").asText()).isEqualTo("2026-11-27T12:00:00Z");
      assertThat(scaler.lastLine("orders").get("level").asText()).isEqualTo("INFO");
    }
  }
}
