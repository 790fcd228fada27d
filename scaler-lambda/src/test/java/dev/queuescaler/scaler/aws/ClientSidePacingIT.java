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
          .as("the call and the standard mode's two retries")
          .isEqualTo(3);
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
}
