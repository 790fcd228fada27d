package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.testsupport.DeadLetteredQueue;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.XRayDaemonListener;
import dev.queuescaler.worker.JsonLog;
import dev.queuescaler.worker.SimulatedWork;
import dev.queuescaler.worker.WorkerTracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The local fleet keeps its tasks alive the way ECS would: a dead worker is replaced, loudly. */
class LocalFleetTest {

  @Test
  void aWorkerThatHitsAFatalErrorIsLoggedAndReplacedAndAFailedLaunchIsRetried() throws Exception {
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    try (ElasticMq server = new ElasticMq();
        XRayDaemonListener xray = new XRayDaemonListener();
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build()) {
      String queueUrl = DeadLetteredQueue.create(sqs, "fleet", 30, 3).queueUrl();
      try (LocalFleet fleet =
          new LocalFleet(
              sqs,
              queueUrl,
              Duration.ofMillis(200),
              new SimulatedWork(),
              WorkerTracing.xray(xray.address()),
              new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
              Clock.systemUTC())) {
        ServiceRef service = new ServiceRef("local", "workers");
        fleet.setDesiredCount(service, 1);
        await(() -> fleet.describe(service).running() == 1);

        // The queue disappears under the worker: its receive fails for good (QueueDoesNotExist).
        sqs.deleteQueue(d -> d.queueUrl(queueUrl));

        await(
            () -> logs.toString(StandardCharsets.UTF_8).contains("\"event\":\"worker-replaced\""));
        await(() -> logs.toString(StandardCharsets.UTF_8).contains("\"event\":\"launch-failed\""));
        assertThat(fleet.describe(service).desired()).as("the task is still wanted").isEqualTo(1);
      }
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
