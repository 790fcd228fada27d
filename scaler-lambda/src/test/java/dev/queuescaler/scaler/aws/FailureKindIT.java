package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.ServiceReading;
import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.testing.LocalAws;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the adapters say of AWS's own answers, from real servers (ElasticMQ for SQS, moto for ECS):
 * a queue or service that does not exist lasts the minute, so its target is not read again until
 * the next invocation.
 */
class FailureKindIT {

  private static final LocalAws aws = LocalAws.withMoto();

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void aQueueThatDoesNotExistIsALastingFailure() {
    String gone = aws.createQueue("soon-gone");
    aws.sqs.deleteQueue(d -> d.queueUrl(gone));

    RuntimeException failure = catchRuntimeException(() -> new SqsQueueProbe(aws.sqs).read(gone));

    assertThat(failure).hasMessageContaining("GetQueueAttributes on " + gone);
    assertThat(FailureKind.of(failure)).isEqualTo(FailureKind.LASTING);
  }

  @Test
  void aServiceOrClusterThatDoesNotExistIsALastingFailure() {
    ServiceRef missingService = new ServiceRef(LocalAws.CLUSTER, "never-created");
    ServiceRef missingCluster = new ServiceRef("no-such-cluster", "orders");

    var readings =
        new EcsServiceScaler(aws.ecs).describeAll(List.of(missingService, missingCluster));

    assertThat(readings.values())
        .hasSize(2)
        .allSatisfy(
            reading ->
                assertThat(reading.failure())
                    .hasValueSatisfying(
                        e -> assertThat(FailureKind.of(e)).isEqualTo(FailureKind.LASTING)));
  }

  @Test
  void aServiceThatExistsReadsWithoutFailure() {
    aws.service("orders", 2);

    ServiceReading reading =
        new EcsServiceScaler(aws.ecs)
            .describeAll(List.of(new ServiceRef(LocalAws.CLUSTER, "orders")))
            .values()
            .iterator()
            .next();

    assertThat(reading.failure()).isEmpty();
  }
}
