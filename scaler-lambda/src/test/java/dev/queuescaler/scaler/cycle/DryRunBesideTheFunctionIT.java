package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CLI's {@code once --dry-run} beside the function, on the function's state table: the
 * operator's trial of what a cycle would do changes nothing the function runs on.
 */
class DryRunBesideTheFunctionIT {

  private static final List<String> TARGETS = List.of("a0", "a1", "a2");

  @Test
  void aDryRunOnAnotherPrefixLeavesTheFunctionsTargetsInPlace() {
    try (LocalAws aws = LocalAws.withFakes()) {
      String queue = aws.createQueue("team-a");
      for (String target : TARGETS) {
        aws.service(target + "-svc", 0);
        aws.putTarget("/team-a", target, queue, target + "-svc", Map.of());
      }
      try (ScalerHarness function =
              ScalerHarness.withParameterReadModel(
                  aws, "/team-a", 1, DryRunBesideTheFunctionIT::paced);
          // SCALER_STATE_TABLE set to team-a's table, SCALER_PARAMETER_PATH left at its default.
          ScalerHarness cli =
              ScalerHarness.withParameterReadModel(
                  aws, "/queue-scaler", 1, DryRunBesideTheFunctionIT::paced)) {
        function.runOnce();
        assertThat(decided(function.decisionLines())).as("before the dry run").isEqualTo(TARGETS);

        cli.clock.advance(Duration.ofSeconds(60));
        cli.run(new CycleRequest(Optional.empty(), true));
        function.clock.advance(Duration.ofSeconds(120));
        int before = function.decisionLines().size();
        function.runOnce();

        List<JsonNode> lines = function.decisionLines();
        assertThat(decided(lines.subList(before, lines.size())))
            .as("the function's next cycle")
            .isEqualTo(TARGETS);
      }
    }
  }

  /** Each page takes 50 ms of the harness's clock, as Parameter Store's paced pages do. */
  private static ParameterPages paced(ParameterPages ssm, MutableClock clock) {
    return new ParameterPages() {
      @Override
      public Page page(Optional<String> from) {
        clock.advance(Duration.ofMillis(50));
        return ssm.page(from);
      }

      @Override
      public Map<String, String> readTarget(TargetName target) {
        clock.advance(Duration.ofMillis(50));
        return ssm.readTarget(target);
      }

      @Override
      public String describe() {
        return ssm.describe();
      }
    };
  }

  private static List<String> decided(List<JsonNode> lines) {
    Set<String> targets =
        lines.stream().map(line -> line.path("target").asText()).collect(Collectors.toSet());
    return targets.stream().sorted().toList();
  }
}
