package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.ServiceReading;
import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.FaultInjectingProxy.Reply;
import dev.queuescaler.testsupport.MotoServer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The ECS adapter and the queue probe against the states production reaches and a quiet test does
 * not: a service deleted (INACTIVE) or being deleted (DRAINING), recreated while ECS still shows
 * the deleted one, deleted between its read and its update, an update ECS applied whose answers
 * were lost, a service named by its ARNs, and a queue answer missing a count or carrying one that
 * is not a number. ECS is moto and SQS ElasticMQ; the proxy in front of them rewrites or replaces
 * only what they cannot be made to answer.
 */
class OddServiceAndQueueStatesIT {

  private static final String CLUSTER = "odd-states";

  private static MotoServer moto;
  private static ElasticMq elasticMq;
  private static EcsClient ecs;
  private static SqsClient sqs;
  private FaultInjectingProxy proxy;

  @BeforeAll
  static void start() {
    moto = new MotoServer();
    elasticMq = new ElasticMq();
    ecs = LocalAws.configure(EcsClient.builder(), moto.endpoint()).build();
    sqs = LocalAws.configure(SqsClient.builder(), elasticMq.endpoint()).build();
    LocalAws.createClusterForWorkers(ecs, CLUSTER);
  }

  @AfterAll
  static void stop() {
    ecs.close();
    sqs.close();
    moto.close();
    elasticMq.close();
  }

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static String service(int desired) {
    String name = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    ecs.createService(
        c -> c.cluster(CLUSTER).serviceName(name).taskDefinition("worker").desiredCount(desired));
    return name;
  }

  private EcsClient ecsThroughProxy() {
    proxy = new FaultInjectingProxy(moto.endpoint());
    return LocalAws.configure(EcsClient.builder(), proxy.endpoint()).build();
  }

  private static ServiceReading read(EcsClient client, ServiceRef ref) {
    return new EcsServiceScaler(client).describeAll(List.of(ref)).get(ref);
  }

  @Test
  void aServiceDeletedSinceTheLastCycleIsALastingFailureNamingItsStatus() {
    String name = service(0);
    ecs.deleteService(d -> d.cluster(CLUSTER).service(name));

    ServiceReading reading = read(ecs, new ServiceRef(CLUSTER, name));

    assertThat(reading.failure())
        .hasValueSatisfying(
            failure -> {
              assertThat(failure).hasMessageContaining("service is INACTIVE, not ACTIVE");
              assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.LASTING);
            });
  }

  @Test
  void aServiceBeingDeletedIsALastingFailureNamingItsStatus() {
    String name = service(3);
    try (EcsClient client = ecsThroughProxy()) {
      // ECS shows a deleted service with tasks still stopping as DRAINING; moto goes to INACTIVE.
      proxy.rewrite(
          "DescribeServices",
          (request, response) -> {
            ObjectNode answer = response.deepCopy();
            answer.withArray("services").forEach(s -> ((ObjectNode) s).put("status", "DRAINING"));
            return answer;
          });

      ServiceReading reading = read(client, new ServiceRef(CLUSTER, name));

      assertThat(reading.failure())
          .hasValueSatisfying(
              failure -> {
                assertThat(failure).hasMessageContaining("service is DRAINING, not ACTIVE");
                assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.LASTING);
              });
    }
  }

  @ParameterizedTest(name = "predecessor first: {0}, named by its ARN: {1}")
  @CsvSource({"true, false", "true, true", "false, false", "false, true"})
  void aServiceRecreatedUnderItsNameIsScaledNotItsInactivePredecessor(
      boolean predecessorFirst, boolean byArn) {
    String name = service(0);
    ecs.deleteService(d -> d.cluster(CLUSTER).service(name));
    ecs.createService(
        c -> c.cluster(CLUSTER).serviceName(name).taskDefinition("worker").desiredCount(3));
    String serviceArn =
        ecs.describeServices(d -> d.cluster(CLUSTER).services(name)).services().get(0).serviceArn();
    ServiceRef ref = new ServiceRef(CLUSTER, byArn ? serviceArn : name);
    try (EcsClient client = ecsThroughProxy()) {
      // ECS may answer both the deleted service, INACTIVE for a while, and the one recreated under
      // its name (and so its ARN); moto keeps only the latter, so the predecessor is added.
      proxy.rewrite(
          "DescribeServices",
          (request, response) -> {
            ObjectNode answer = response.deepCopy();
            ArrayNode services = answer.withArray("services");
            ObjectNode predecessor = services.get(0).deepCopy();
            predecessor.put("status", "INACTIVE").put("desiredCount", 0).put("runningCount", 0);
            services.insert(predecessorFirst ? 0 : services.size(), predecessor);
            return answer;
          });
      EcsServiceScaler scaler = new EcsServiceScaler(client);

      assertThat(read(client, ref).failure()).isEmpty();
      assertThat(read(client, ref).get().desired()).isEqualTo(3);
      scaler.setDesiredCount(ref, 5);
      assertThat(read(client, ref).get().desired()).isEqualTo(5);
    }
  }

  @Test
  void anUpdateOfAServiceDeletedSinceItsReadIsALastingFailureNamingEcsError() {
    String name = service(2);
    ServiceRef ref = new ServiceRef(CLUSTER, name);
    try (EcsClient client = ecsThroughProxy()) {
      assertThat(read(client, ref).get().desired()).isEqualTo(2);
      // What ECS answers an UpdateService on a service deleted meanwhile (moto updates it anyway).
      proxy.fail(
          "UpdateService",
          request ->
              Optional.of(
                  Reply.error(400, "ServiceNotActiveException", "Service was not ACTIVE.")));

      RuntimeException failure =
          catchRuntimeException(() -> new EcsServiceScaler(client).setDesiredCount(ref, 5));

      assertThat(failure)
          .hasMessageContaining("UpdateService on " + ref)
          .hasMessageContaining("ServiceNotActiveException");
      assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.LASTING);
    }
  }

  @Test
  void anUpdateEcsAppliedWhoseAnswersWereLostFailsAndTheServiceShowsTheNewCount() {
    String name = service(2);
    ServiceRef ref = new ServiceRef(CLUSTER, name);
    try (EcsClient client = ecsThroughProxy()) {
      // Every attempt the SDK makes reaches ECS and is applied; every answer is a 500.
      proxy.loseAnswers(
          "UpdateService", 3, Reply.error(500, "ServerException", "Service unavailable"));

      RuntimeException failure =
          catchRuntimeException(() -> new EcsServiceScaler(client).setDesiredCount(ref, 7));

      assertThat(failure).hasMessageContaining("UpdateService on " + ref);
      assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.PASSING);
      // What the cycle reads back before it takes its record back (UpdateOutcomeTest).
      assertThat(read(client, ref).get().desired()).isEqualTo(7);
      assertThat(proxy.calls("UpdateService")).hasSize(3);
    }
  }

  @Test
  void aServiceNamedByItsArnInAClusterNamedByItsArnReadsAsByName() {
    String name = service(4);
    String clusterArn =
        ecs.describeClusters(d -> d.clusters(CLUSTER)).clusters().get(0).clusterArn();
    String serviceArn =
        ecs.describeServices(d -> d.cluster(CLUSTER).services(name)).services().get(0).serviceArn();
    EcsServiceScaler scaler = new EcsServiceScaler(ecs);
    ServiceRef byArns = new ServiceRef(clusterArn, serviceArn);

    assertThat(read(ecs, byArns).get()).isEqualTo(read(ecs, new ServiceRef(CLUSTER, name)).get());
    scaler.setDesiredCount(byArns, 6);
    assertThat(read(ecs, new ServiceRef(CLUSTER, name)).get().desired()).isEqualTo(6);
  }

  @Test
  void aServiceNamedByAnArnInTheOlderFormatReadsAsByName() {
    String name = service(4);
    String serviceArn =
        ecs.describeServices(d -> d.cluster(CLUSTER).services(name)).services().get(0).serviceArn();
    // arn:aws:ecs:region:account:service/name, without the cluster: the format of services created
    // before ECS's long ARN format, which docs/scaler.md counts as the same service.
    String olderArn = serviceArn.substring(0, serviceArn.indexOf(":service/") + 9) + name;
    ServiceRef byOlderArn = new ServiceRef(CLUSTER, olderArn);

    ServiceReading reading = read(ecs, byOlderArn);

    assertThat(reading.failure()).isEmpty();
    assertThat(reading.get()).isEqualTo(read(ecs, new ServiceRef(CLUSTER, name)).get());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "<absent> | ApproximateNumberOfMessagesDelayed missing from the response",
        "'' | ApproximateNumberOfMessagesDelayed is not a count: \"\"",
        "many | ApproximateNumberOfMessagesDelayed is not a count: \"many\"",
        "-1 | ApproximateNumberOfMessagesDelayed is not a count: \"-1\"",
        "1e3 | ApproximateNumberOfMessagesDelayed is not a count: \"1e3\"",
        "99999999999999999999 | ApproximateNumberOfMessagesDelayed is not a count"
      })
  void aQueueAnswerWithoutAUsableCountIsAFailureNamingTheAttributeNeverAZero(
      String delayed, String problem) {
    String queueUrl =
        sqs.createQueue(c -> c.queueName("odd-" + UUID.randomUUID().toString().substring(0, 8)))
            .queueUrl();
    proxy = new FaultInjectingProxy(elasticMq.endpoint());
    proxy.rewrite(
        "GetQueueAttributes",
        (request, response) -> {
          ObjectNode answer = response.deepCopy();
          ObjectNode attributes = answer.with("Attributes");
          if (delayed.equals("<absent>")) {
            attributes.remove("ApproximateNumberOfMessagesDelayed");
          } else {
            attributes.put("ApproximateNumberOfMessagesDelayed", delayed);
          }
          return answer;
        });
    try (SqsClient client = LocalAws.configure(SqsClient.builder(), proxy.endpoint()).build()) {
      RuntimeException failure =
          catchRuntimeException(() -> new SqsQueueProbe(client).read(queueUrl));

      assertThat(failure)
          .hasMessageContaining("GetQueueAttributes on ")
          .hasMessageContaining(problem);
      assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.PASSING);
    }
  }

  @Test
  void aQueueAnswerWithEveryCountReadsThem() {
    String queueUrl =
        sqs.createQueue(c -> c.queueName("counted-" + UUID.randomUUID().toString().substring(0, 8)))
            .queueUrl();
    sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("one"));
    sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("two").delaySeconds(60));

    QueueSnapshot snapshot = new SqsQueueProbe(sqs).read(queueUrl);

    assertThat(snapshot).isEqualTo(new QueueSnapshot(1, 0, 1));
  }
}
