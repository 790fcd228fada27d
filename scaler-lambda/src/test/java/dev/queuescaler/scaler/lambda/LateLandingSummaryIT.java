package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.FakeAwsServer.Reply;
import dev.queuescaler.testsupport.FakeEcs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handler's summary counts a scale announced as landed late in its {@code scalingActions}, as
 * the {@code ScalingActions} metric does: the invocation that announces it reports it.
 */
class LateLandingSummaryIT {

  private static LocalAws aws;

  @BeforeAll
  static void startServers() {
    aws = LocalAws.withFakes();
  }

  @AfterAll
  static void stopServers() {
    aws.close();
  }

  @Test
  void theInvocationThatAnnouncesALateLandingCountsItInItsSummary() throws Exception {
    aws.clearState();
    String queueUrl = aws.createQueue("summary-late");
    aws.service("summary-late-svc", 0);
    aws.putTarget("/summary-late", "orders", queueUrl, "summary-late-svc", Map.of());
    aws.send(queueUrl, 150);
    // ECS answers every UpdateService with a 500 and applies nothing, until told to apply it.
    AtomicBoolean updatesFail = new AtomicBoolean(true);
    AtomicInteger requested = new AtomicInteger(-1);
    FakeEcs ecs = aws.fakes().ecs();
    ecs.on(
        "UpdateService",
        request -> {
          int desired = request.path("desiredCount").asInt();
          if (updatesFail.get()) {
            requested.set(desired);
            return Reply.error(500, "ServerException", "Service Unavailable");
          }
          FakeEcs.Counts counts = ecs.counts(LocalAws.CLUSTER, "summary-late-svc");
          ecs.put(
              LocalAws.CLUSTER, "summary-late-svc", desired, counts.running(), counts.pending());
          return Reply.ok("{}");
        });

    try (ScalerHarness harness = new ScalerHarness(aws, "/summary-late")) {
      harness.runOnce();
      assertThat(requested.get()).as("an update was sent and failed").isEqualTo(2);
      // ECS applies it after the cycle read the service back.
      updatesFail.set(false);
      FakeEcs.Counts counts = ecs.counts(LocalAws.CLUSTER, "summary-late-svc");
      ecs.put(LocalAws.CLUSTER, "summary-late-svc", 2, counts.running(), counts.pending());
      harness.clock.advance(Duration.ofSeconds(60));

      ByteArrayOutputStream response = new ByteArrayOutputStream();
      handler(harness)
          .handleRequest(
              new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), response, null);

      assertThat(harness.decisionLines().stream().filter(l -> !l.get("lateLanding").isNull()))
          .as("the invocation's first sample announces it")
          .hasSize(1);
      assertThat(response.toString(StandardCharsets.UTF_8))
          .as("every sample holds at 2; the late landing is the invocation's one scale")
          .isEqualTo("{\"targets\":1,\"decisions\":4,\"scalingActions\":1,\"failures\":0}");
    }
  }

  private static ScalerHandler handler(ScalerHarness harness) {
    PrintStream discard =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new ScalerHandler(
        harness.cycle(),
        ScalerHarness.parameterChanges(aws),
        new JsonOperatorLog(discard, Clock.systemUTC()),
        harness.clock,
        harness.prefix(),
        new EmfCycleHeartbeat(discard, "QueueScaler"));
  }
}
