package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of one scaling cycle that need faults AWS will not produce on demand: throttling, a
 * service whose updates keep failing or are refused, two cycles forced into the same race, a lost
 * undo. ECS, SSM and EventBridge are the HTTP fakes of {@code test-support}, which inject them and
 * count calls; SQS and DynamoDB are real local servers.
 */
class ScalingCycleFaultsIT extends CycleScenarios {

  @Override
  LocalAws servers() {
    return LocalAws.withFakes();
  }

  @Test
  void ecsThrottlingIsRetriedBySdk() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    aws.fakes().ecs().throttleNextUpdates(2);
    int updatesBefore = aws.fakes().ecs().calls("UpdateService").size();

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isFalse();
      assertThat(aws.fakes().ecs().calls("UpdateService")).hasSize(updatesBefore + 3);
      assertThat(aws.desired("orders-svc")).isEqualTo(2);
    }
  }

  @Test
  void persistentEcsServerErrorGivesUpdateFailedWhileOtherTargetsStillScale() {
    target("broken", 0, Map.of());
    target("healthy", 0, Map.of());
    aws.fakes().ecs().breakUpdates("workers", "broken-svc");
    aws.send(queueUrl, 150);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      CycleReport report = scaler.runOnce();

      assertThat(report.failed()).isTrue();
      assertThat(report.failures()).singleElement().asString().startsWith("broken: UPDATE_FAILED");
      JsonNode broken = scaler.lastLine("broken");
      assertThat(broken.get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(broken.get("action").asText()).isEqualTo("HOLD");
      assertThat(broken.get("errors").toString())
          .contains("ServerException")
          .contains("its outcome is unknown");
      assertThat(broken.get("desired").isNull()).as("ECS may or may not apply it").isTrue();
      assertThat(aws.desired("healthy-svc")).isEqualTo(2);
      // A 5xx does not prove the update was not applied: its record (the pending count, the
      // cooldown) stands until it settles, and the next read of the service resolves it.
      StoredState stored =
          new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE).load(new TargetName("broken"));
      assertThat(stored.history().lastScaleOut()).isPresent();
      assertThat(stored.lastAction()).map(LastAction::desired).contains(2);
    }
  }

  @Test
  void anUpdateEcsThrottlesOnEveryAttemptIsTakenBack() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    // Standard retries: three attempts, each answered ThrottlingException (HTTP 400).
    aws.fakes().ecs().throttleNextUpdates(3);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(line.get("desired").asInt()).as("the count ECS kept").isZero();
      assertThat(line.get("errors").toString()).contains("ThrottlingException");
      // A scale-out ECS refused starts no cooldown and leaves no pending count.
      StoredState stored =
          new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE).load(new TargetName("orders"));
      assertThat(stored.history().lastScaleOut()).isEmpty();
      assertThat(stored.lastAction()).isEmpty();
      assertThat(aws.desired("orders-svc")).isZero();
    }
  }

  @Test
  void twoConcurrentCyclesProduceOneUpdateService() throws Exception {
    String name = "racing" + System.nanoTime();
    target(name, 0, Map.of());
    aws.send(queueUrl, 400);
    int updatesBefore = aws.fakes().ecs().calls("UpdateService").size();
    // Both cycles read the same stored version before either writes: the real race, forced.
    DecisionStore racing =
        new LoadTogetherStore(new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE), 2);

    ExecutorService two = Executors.newFixedThreadPool(2);
    try (ScalerHarness first = new ScalerHarness(aws, prefix, Tracing.NONE, racing);
        ScalerHarness second = new ScalerHarness(aws, prefix, Tracing.NONE, racing)) {
      Future<CycleReport> a = two.submit(first::runOnce);
      Future<CycleReport> b = two.submit(second::runOnce);
      a.get();
      b.get();

      assertThat(aws.fakes().ecs().calls("UpdateService")).hasSize(updatesBefore + 1);
      List<String> reasons = new ArrayList<>();
      reasons.add(first.lastLine(name).get("reason").asText());
      reasons.add(second.lastLine(name).get("reason").asText());
      assertThat(reasons).containsExactlyInAnyOrder("BACKLOG", "CONCURRENT_RUN");
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void aFailedUpdateWhoseUndoLosesItsRaceSaysSo() {
    String name = "undo" + System.nanoTime();
    target(name, 0, Map.of());
    // Refused on every attempt (a 5xx would leave the outcome unknown, and nothing to undo).
    aws.fakes().ecs().throttleNextUpdates(3);
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
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> pending) {
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
}
