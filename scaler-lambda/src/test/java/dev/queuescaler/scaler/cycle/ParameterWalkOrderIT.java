package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The walk over the prefix on moto's Parameter Store, which returns a path's parameters in the
 * order they were created, not by name. AWS documents no order for GetParametersByPath, so a
 * target's keys need not come together in the pages: a target whose keys were not created one after
 * the other must still be read whole.
 */
class ParameterWalkOrderIT {

  private static final String PREFIX = "/walk-order";

  @Test
  void targetsWhoseParametersOneDeployCreatedTogetherAreReadWhole() {
    try (LocalAws aws = LocalAws.withMoto()) {
      String queue = aws.createQueue("walk-order");
      aws.service("orders-svc", 0);
      aws.service("billing-svc", 0);
      // CloudFormation creates a stack's parameters in parallel: two targets' keys interleave.
      for (String key : List.of("queue-url", "cluster", "service")) {
        for (String target : List.of("orders", "billing")) {
          aws.putParameter(PREFIX + "/" + target + "/" + key, value(key, target, queue));
        }
      }

      try (ScalerHarness scaler = ScalerHarness.withParameterReadModel(aws, PREFIX, 40)) {
        scaler.runOnce();

        for (String target : List.of("orders", "billing")) {
          JsonNode line = scaler.lastLine(target);
          assertThat(line.path("reason").asText()).as(target).isNotEqualTo("CONFIG_INVALID");
          assertThat(line.path("errors")).as(target + "'s errors: " + line).isEmpty();
        }
      }
    }
  }

  @Test
  void aKeyTunedAfterAnotherTargetWasCreatedKeepsTheTargetsOtherKeys() {
    try (LocalAws aws = LocalAws.withMoto()) {
      String queue = aws.createQueue("walk-tuned");
      aws.service("orders-svc", 0);
      aws.service("billing-svc", 0);
      aws.putTarget(PREFIX, "orders", queue, "orders-svc", Map.of());
      aws.putTarget(PREFIX, "billing", queue, "billing-svc", Map.of());

      try (ScalerHarness scaler = ScalerHarness.withParameterReadModel(aws, PREFIX, 40)) {
        scaler.runOnce();
        assertThat(scaler.lastLine("orders").path("errors")).as("before the tuning").isEmpty();

        // Tuned key by key, as the README says, with its change event recorded.
        aws.putParameter(PREFIX + "/orders/max-tasks", "4");
        scaler.clock.advance(Duration.ofSeconds(1));
        ScalerHarness.parameterChanges(aws)
            .recordChange(scaler.clock.instant(), Optional.of(new TargetName("orders")));
        scaler.clock.advance(Duration.ofSeconds(59));
        scaler.runOnce();

        JsonNode line = scaler.lastLine("orders");
        assertThat(line.path("errors")).as("orders' errors: " + line).isEmpty();
      }
    }
  }

  private static String value(String key, String target, String queue) {
    return switch (key) {
      case "queue-url" -> queue;
      case "cluster" -> LocalAws.CLUSTER;
      default -> target + "-svc";
    };
  }
}
