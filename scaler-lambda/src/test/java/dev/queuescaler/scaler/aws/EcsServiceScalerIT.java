package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.cycle.ServiceReading;
import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.testing.EntriesPerCall;
import dev.queuescaler.scaler.testing.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;

/** The ECS adapter's batched reads against moto's ECS. */
class EcsServiceScalerIT {

  private static final LocalAws aws = LocalAws.withMoto();

  @BeforeAll
  static void twoClusters() {
    aws.ecs.createCluster(c -> c.clusterName("second"));
    for (int i = 0; i < 12; i++) {
      aws.service("a" + i, i);
    }
    for (int i = 0; i < 11; i++) {
      int desired = i;
      String name = "b" + i;
      aws.ecs.createService(
          c ->
              c.cluster("second").serviceName(name).taskDefinition("worker").desiredCount(desired));
    }
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void readsTenServicesOfAClusterPerCallAndAMissingServiceFailsOnlyItsEntry() {
    EntriesPerCall<DescribeServicesRequest> counting =
        EntriesPerCall.of(DescribeServicesRequest.class, describe -> describe.services().size());
    List<ServiceRef> refs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      refs.add(new ServiceRef(LocalAws.CLUSTER, "a" + i));
    }
    for (int i = 0; i < 11; i++) {
      refs.add(new ServiceRef("second", "b" + i));
    }
    ServiceRef missing = new ServiceRef("second", "deleted");
    refs.add(missing);

    try (EcsClient ecs = aws.ecsClient(List.of(counting))) {
      Map<ServiceRef, ServiceReading> readings = new EcsServiceScaler(ecs).describeAll(refs);

      assertThat(counting.sizes()).containsExactly(10, 2, 10, 2);
      assertThat(readings).hasSize(24);
      assertThat(readings.get(new ServiceRef(LocalAws.CLUSTER, "a7")).get().desired()).isEqualTo(7);
      assertThat(readings.get(new ServiceRef("second", "b10")).get().desired()).isEqualTo(10);
      assertThat(readings.get(missing).failure())
          .hasValueSatisfying(
              e ->
                  assertThat(e)
                      .hasMessageContaining("second/deleted")
                      .hasMessageContaining("MISSING"));
      assertThat(readings.values().stream().filter(r -> r.failure().isPresent())).hasSize(1);
    }
  }
}
