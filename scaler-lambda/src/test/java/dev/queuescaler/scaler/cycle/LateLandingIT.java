package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.aws.DynamoDbDecisionStore;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.FakeAwsServer.Reply;
import dev.queuescaler.testsupport.FakeEcs;
import dev.queuescaler.testsupport.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An UpdateService whose outcome is unknown (every attempt answered by a server error, or timed
 * out) that ECS applies after the cycle read the service back: the scale happened, and the first
 * sample whose read shows it announces it, once, as any scale is announced (its event, with {@code
 * landedLate} true, and its {@code ScalingActions}), and its line says so. One that never lands is
 * never announced. Through the production path: the real cycle and AWS adapters, DynamoDB on a
 * local server, ECS and EventBridge the HTTP fakes.
 */
class LateLandingIT extends CycleScenarios {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  /** Whether ECS answers every UpdateService attempt with HTTP 500, applying nothing (yet). */
  private final AtomicBoolean updatesFail = new AtomicBoolean();

  /** The count of the last update ECS answered with a 500: applied later by {@link #land}. */
  private volatile int requested = -1;

  @Override
  LocalAws servers() {
    return LocalAws.withFakes();
  }

  /**
   * ECS's UpdateService: while {@link #updatesFail}, a 500 to every attempt with nothing applied;
   * else applied as FakeEcs does (the scaler does not read its answer).
   */
  @BeforeEach
  void updatesThatMayFail() {
    updatesFail.set(false);
    requested = -1;
    FakeEcs ecs = aws.fakes().ecs();
    ecs.on(
        "UpdateService",
        request -> {
          String cluster = request.path("cluster").asText();
          String service = request.path("service").asText();
          int desired = request.path("desiredCount").asInt();
          if (updatesFail.get()) {
            requested = desired;
            return Reply.error(500, "ServerException", "Service Unavailable");
          }
          FakeEcs.Counts counts = ecs.counts(cluster, service);
          ecs.put(cluster, service, desired, counts.running(), counts.pending());
          return Reply.ok("{}");
        });
  }

  /** ECS applies the update it answered with a 500, after the cycle read the service back. */
  private void land(String service) {
    assertThat(requested).as("an update was sent and failed").isPositive();
    updatesFail.set(false);
    FakeEcs.Counts counts = aws.fakes().ecs().counts(LocalAws.CLUSTER, service);
    aws.fakes().ecs().put(LocalAws.CLUSTER, service, requested, counts.running(), counts.pending());
  }

  @Test
  void anUpdateOfUnknownOutcomeThatLandsLaterIsAnnouncedOnceByTheFirstSampleThatSeesIt() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    updatesFail.set(true);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      JsonNode failed = scaler.lastLine("orders");
      assertThat(failed.get("action").asText() + "/" + failed.get("reason").asText())
          .isEqualTo("HOLD/UPDATE_FAILED");
      assertThat(events()).as("no scale announced that may not have happened").isEmpty();
      assertThat(stored().lastAction())
          .as("stored unconfirmed, with what its announcement needs")
          .flatMap(LastAction::unconfirmed)
          .contains(new LastAction.Unconfirmed(0, Reason.BACKLOG));
      land("orders-svc");

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      JsonNode seen = scaler.lastLine("orders");
      assertThat(seen.get("current").asInt()).isEqualTo(2);
      assertThat(seen.get("action").asText()).as("the sample's own decision").isEqualTo("HOLD");
      JsonNode late = seen.get("lateLanding");
      assertThat(late.get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(late.get("current").asInt()).as("the count it was decided from").isZero();
      assertThat(late.get("desired").asInt()).isEqualTo(2);
      assertThat(late.get("reason").asText()).isEqualTo("BACKLOG");
      assertThat(late.get("decidedAt").asText()).isEqualTo(T0.toString());
      List<JsonNode> announced = events();
      assertThat(announced).hasSize(1);
      JsonNode event = announced.get(0);
      assertThat(event.get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(event.get("current").asInt()).isZero();
      assertThat(event.get("desired").asInt()).isEqualTo(2);
      assertThat(event.get("reason").asText()).isEqualTo("BACKLOG");
      assertThat(event.get("landedLate").asBoolean()).isTrue();
      assertThat(event.get("prefix").asText()).isEqualTo(prefix);
      assertThat(event.get("time").asText()).isEqualTo(T0.plusSeconds(60).toString());
      assertThat(scalingActions(scaler)).containsExactly(0L, 1L);
      assertThat(stored().lastAction()).map(LastAction::desired).contains(2);
      assertThat(stored().lastAction().orElseThrow().unconfirmed()).as("confirmed").isEmpty();

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      assertThat(scaler.lastLine("orders").get("lateLanding").isNull())
          .as("announced once: the sample after it finds it confirmed")
          .isTrue();
      assertThat(events()).hasSize(1);
      assertThat(scalingActions(scaler)).containsExactly(0L, 1L, 0L);
    }
  }

  @Test
  void anUpdateOfUnknownOutcomeThatNeverLandsIsNeverAnnounced() {
    target("orders", 0, Map.of("scale-out-cooldown-seconds", "120"));
    aws.send(queueUrl, 150);
    updatesFail.set(true);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      updatesFail.set(false); // ECS answers again; the failed update never lands

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      JsonNode held = scaler.lastLine("orders");
      assertThat(held.get("action").asText() + "/" + held.get("reason").asText())
          .as("the kept cooldown holds the retry")
          .isEqualTo("HOLD/COOLDOWN");
      assertThat(held.get("lateLanding").isNull()).isTrue();
      assertThat(stored().lastAction().orElseThrow().unconfirmed())
          .as("settled, and the read shows 0: it never landed, and nothing waits for it")
          .isEmpty();

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      assertThat(aws.desired("orders-svc")).isEqualTo(2);
      assertThat(events())
          .as("only the retry, which landed at once")
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.get("action").asText()).isEqualTo("SCALE_OUT");
                assertThat(event.get("time").asText()).isEqualTo(T0.plusSeconds(120).toString());
                assertThat(event.get("landedLate").asBoolean()).isFalse();
              });
      assertThat(scalingActions(scaler)).containsExactly(0L, 0L, 1L);
      assertThat(scaler.decisionLines()).allMatch(line -> line.get("lateLanding").isNull());
    }
  }

  @Test
  void twoOverlappingSamplesAnnounceALateLandingAtMostOnce() throws Exception {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    updatesFail.set(true);
    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
    }
    land("orders-svc");
    // Both samples load the same version, with the update not confirmed, before either stores.
    DecisionStore racing =
        new LoadTogetherStore(new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE), 2);

    ExecutorService two = Executors.newFixedThreadPool(2);
    try (ScalerHarness first =
            new ScalerHarness(
                aws, prefix, Tracing.NONE, racing, new MutableClock(T0.plusSeconds(60)));
        ScalerHarness second =
            new ScalerHarness(
                aws, prefix, Tracing.NONE, racing, new MutableClock(T0.plusSeconds(60)))) {
      Future<CycleReport> a = two.submit(first::runOnce);
      Future<CycleReport> b = two.submit(second::runOnce);
      a.get();
      b.get();

      List<String> reasons = new ArrayList<>();
      List<JsonNode> late = new ArrayList<>();
      for (ScalerHarness sample : List.of(first, second)) {
        JsonNode line = sample.lastLine("orders");
        reasons.add(line.get("reason").asText());
        if (!line.get("lateLanding").isNull()) {
          late.add(line.get("lateLanding"));
        }
      }
      assertThat(reasons)
          .as("one stores its state; the other lost the race")
          .containsExactlyInAnyOrder("WITHIN_TARGET", "CONCURRENT_RUN");
      assertThat(late).as("only the sample whose save won says so").hasSize(1);
      assertThat(events())
          .singleElement()
          .satisfies(event -> assertThat(event.get("landedLate").asBoolean()).isTrue());
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void aSampleThatScalesAgainAnnouncesTheLateLandingBeforeItsOwnScale() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    updatesFail.set(true);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      land("orders-svc");
      aws.send(queueUrl, 350); // 500 now: five tasks

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(line.get("current").asInt()).isEqualTo(2);
      assertThat(line.get("desired").asInt()).isEqualTo(5);
      assertThat(line.get("lateLanding").get("desired").asInt()).isEqualTo(2);
      assertThat(events())
          .extracting(
              event ->
                  event.get("current").asInt()
                      + "->"
                      + event.get("desired").asInt()
                      + " landedLate="
                      + event.get("landedLate").asBoolean())
          .as("in the order they happened")
          .containsExactly("0->2 landedLate=true", "2->5 landedLate=false");
      assertThat(scalingActions(scaler)).containsExactly(0L, 2L);
      assertThat(stored().lastAction()).map(LastAction::desired).contains(5);
    }
  }

  @Test
  void anOperatorsCountWhileDisabledIsNotAnnouncedAsALateLanding() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    updatesFail.set(true);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      updatesFail.set(false); // the failed update never lands
      aws.putParameter(prefix + "/orders/enabled", "false");

      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      JsonNode disabled = scaler.lastLine("orders");
      assertThat(disabled.get("reason").asText()).isEqualTo("DISABLED");
      assertThat(disabled.get("current").asInt())
          .as("a read long after the action settled shows it never landed")
          .isZero();

      // The operator scales the service by hand, to the same count, and switches the target back.
      FakeEcs.Counts counts = aws.fakes().ecs().counts(LocalAws.CLUSTER, "orders-svc");
      aws.fakes().ecs().put(LocalAws.CLUSTER, "orders-svc", 2, counts.running(), counts.pending());
      aws.putParameter(prefix + "/orders/enabled", "true");
      scaler.clock.advance(Duration.ofHours(3));
      scaler.runOnce();

      assertThat(scaler.lastLine("orders").get("lateLanding").isNull())
          .as("the operator's change is not the scaler's scale of three hours ago")
          .isTrue();
      assertThat(events()).isEmpty();
    }
  }

  @Test
  void aLateScaleInToMinTasksIsAnnouncedByASampleWithNothingElseToStore() {
    target(
        "orders",
        0,
        Map.of(
            "backlog-per-task", "10", "scale-in-stabilization-seconds", "300", "min-tasks", "1"));
    aws.send(queueUrl, 50);

    try (ScalerHarness scaler = new ScalerHarness(aws, prefix)) {
      scaler.runOnce();
      assertThat(aws.desired("orders-svc")).isEqualTo(5);
      aws.sqs.purgeQueue(p -> p.queueUrl(queueUrl));
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();
      scaler.clock.advance(Duration.ofSeconds(241));
      updatesFail.set(true);
      scaler.runOnce();
      assertThat(scaler.lastLine("orders").get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(requested).as("the scale-in was sent and failed").isOne();
      updatesFail.set(false);
      FakeEcs.Counts counts = aws.fakes().ecs().counts(LocalAws.CLUSTER, "orders-svc");
      aws.fakes().ecs().put(LocalAws.CLUSTER, "orders-svc", 1, counts.running(), counts.pending());

      // Kept warm at the floor (min-tasks), after a sample that recommended the floor too: the
      // sample's own history adds nothing, so only the late landing makes it store (and announce).
      scaler.clock.advance(Duration.ofSeconds(60));
      scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("action").asText() + "/" + line.get("current").asInt())
          .isEqualTo("HOLD/1");
      assertThat(line.get("lateLanding").path("action").asText()).isEqualTo("SCALE_IN");
      assertThat(events())
          .extracting(
              event ->
                  event.get("action").asText()
                      + " "
                      + event.get("current").asInt()
                      + "->"
                      + event.get("desired").asInt()
                      + " landedLate="
                      + event.get("landedLate").asBoolean())
          .containsExactly("SCALE_OUT 0->5 landedLate=false", "SCALE_IN 5->1 landedLate=true");
      assertThat(stored().lastAction().orElseThrow().unconfirmed()).isEmpty();
    }
  }

  @Test
  void anUnmarkableRecordSaysItsLateLandingGoesUnannounced() {
    target("orders", 0, Map.of());
    aws.send(queueUrl, 150);
    updatesFail.set(true);
    // Another cycle stores a state between the action's save and the one that marks it
    // unconfirmed, so that one loses its race.
    DecisionStore real = new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE);
    DecisionStore overtaken =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            return real.load(target);
          }

          @Override
          public Optional<StoredState> save(
              TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
            if (last.flatMap(LastAction::unconfirmed).isPresent()) {
              real.save(target, expected, next, last.map(LastAction::confirmed)).orElseThrow();
            }
            return real.save(target, expected, next, last);
          }
        };

    try (ScalerHarness scaler =
        new ScalerHarness(aws, prefix, Tracing.NONE, overtaken, new MutableClock(T0))) {
      scaler.runOnce();

      JsonNode line = scaler.lastLine("orders");
      assertThat(line.get("reason").asText()).isEqualTo("UPDATE_FAILED");
      assertThat(stored().lastAction().orElseThrow().unconfirmed()).isEmpty();
      assertThat(line.get("errors").toString())
          .as("the line says what scaler.md promises it says")
          .contains("another cycle stored a newer state first")
          .contains("if it lands late, it is not announced");
    }
  }

  private StoredState stored() {
    return new DynamoDbDecisionStore(aws.dynamoDb, LocalAws.TABLE).load(new TargetName("orders"));
  }

  /** The details of this test's events (its prefix), in the order they were put. */
  private List<JsonNode> events() {
    List<JsonNode> details = new ArrayList<>();
    for (JsonNode event : aws.events()) {
      try {
        JsonNode detail = JSON.readTree(event.get("detail").asText());
        if (detail.path("prefix").asText().equals(prefix)) {
          details.add(detail);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return details;
  }

  /** The {@code ScalingActions} of each metrics line the harness wrote for orders, in order. */
  private static List<Long> scalingActions(ScalerHarness scaler) {
    List<Long> values = new ArrayList<>();
    for (String line : scaler.logs().split("\n")) {
      if (!line.contains("\"ScalingActions\"")) {
        continue;
      }
      try {
        JsonNode metrics = JSON.readTree(line);
        if (metrics.path("Target").asText().equals("orders")) {
          values.add(metrics.get("ScalingActions").asLong());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return values;
  }
}
