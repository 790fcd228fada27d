package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.FakeAwsServer.TokenBucket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Pacing against a stand-in that throttles as ECS does (HTTP 400, ThrottlingException): unpaced
 * calls past the bucket are throttled even after the SDK's retries; paced ones are not.
 */
class ClientSidePacingIT {

  private static final ServiceRef SERVICE = new ServiceRef(LocalAws.CLUSTER, "paced");

  @Test
  void unpacedCallsPastTheBucketAreThrottledThroughTheSdksRetries() {
    try (LocalAws aws = LocalAws.withFakes()) {
      aws.service("paced", 1);
      aws.fakes().ecs().limit(new TokenBucket(3, 0.01), "DescribeServices");
      EcsServiceScaler unpaced = new EcsServiceScaler(aws.ecs);

      for (int i = 0; i < 3; i++) {
        unpaced.describe(SERVICE);
      }

      assertThatThrownBy(() -> unpaced.describe(SERVICE))
          .hasMessageContaining("Rate exceeded")
          .hasCauseInstanceOf(SdkException.class);
      assertThat(aws.fakes().ecs().throttled("DescribeServices"))
          .as("the call and the standard mode's two retries, and the adapter's two retries of that")
          .isEqualTo(9);
    }
  }

  @Test
  void pacedCallsStayInsideTheBucketAndAreNeverThrottled() {
    try (LocalAws aws = LocalAws.withFakes()) {
      aws.service("paced", 1);
      aws.fakes().ecs().limit(new TokenBucket(4, 10), "DescribeServices");
      EcsServiceScaler paced =
          new EcsServiceScaler(aws.ecs, new Pacer(2, 5, Duration.ofSeconds(5)), Pacer.NONE);

      // Unpaced, seven calls within milliseconds would empty the stand-in's 4 and be throttled.
      for (int i = 0; i < 7; i++) {
        assertThat(paced.describeAll(List.of(SERVICE)).get(SERVICE).get().desired()).isEqualTo(1);
      }

      assertThat(aws.fakes().ecs().throttled("DescribeServices")).isZero();
    }
  }

  @Test
  void aBatchThrottledThroughTheSdksRetriesIsRetriedNotFailedForAllTen() {
    try (LocalAws aws = LocalAws.withFakes()) {
      List<ServiceRef> ten = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        aws.service("s" + i, i);
        ten.add(new ServiceRef(LocalAws.CLUSTER, "s" + i));
      }
      // The call and the standard mode's two retries, all throttled.
      aws.fakes().ecs().throttleNext("DescribeServices", 3);

      var readings = new EcsServiceScaler(aws.ecs).describeAll(ten);

      assertThat(readings.values()).allSatisfy(r -> assertThat(r.failure()).isEmpty());
      assertThat(readings.get(ten.get(7)).get().desired()).isEqualTo(7);
      assertThat(aws.fakes().ecs().throttled("DescribeServices")).isEqualTo(3);
      assertThat(aws.fakes().ecs().calls("DescribeServices")).hasSize(4);
    }
  }

  @Test
  void aBatchStillThrottledAfterItsRetriesFailsItsEntriesWithTheThrottlingError() {
    try (LocalAws aws = LocalAws.withFakes()) {
      aws.service("s0", 1);
      ServiceRef only = new ServiceRef(LocalAws.CLUSTER, "s0");
      aws.fakes().ecs().throttleNext("DescribeServices", 1_000);

      var readings = new EcsServiceScaler(aws.ecs).describeAll(List.of(only));

      assertThat(readings.get(only).failure())
          .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("Rate exceeded"));
      assertThat(aws.fakes().ecs().calls("DescribeServices"))
          .as("three SDK attempts, three times")
          .hasSize(9);
    }
  }
}
