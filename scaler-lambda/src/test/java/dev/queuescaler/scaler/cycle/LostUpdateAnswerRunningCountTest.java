package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An UpdateService that ECS applied but whose answer was lost stands (UpdateOutcomeTest); the
 * samples after it, which decide on the count the scaler set, report only the running and pending
 * counts it saw, never zeros that look like a stopped service (DecisionRecord).
 */
class LostUpdateAnswerRunningCountTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<TargetOutcome> lines = Collections.synchronizedList(new ArrayList<>());
  private volatile int desired = 5;
  private volatile boolean answerLost = true;

  /** ECS keeps its five tasks running while the new ones start. */
  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return new ServiceSnapshot(desired, 5, desired - 5);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired = count;
          if (answerLost) {
            answerLost = false;
            throw new IllegalStateException("UpdateService: Read timed out");
          }
        }
      };

  @Test
  void theSamplesAfterAnUpdateWhoseAnswerWasLostReportNoRunningTasksTheScalerDidNotSee() {
    Map<String, String> keys = FixedParameters.backlogPerTask("orders", 10, 15);
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(100, 0, 0),
                services,
                new InMemoryDecisionStore(),
                lines::add,
                clock),
            1,
            AwsClients.WORST_CALL)) {
      cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }

    assertThat(lines.get(0).decision().desired()).as("the scale-out stands").contains(10);
    assertThat(lines.get(0).decision().errors()).anyMatch(e -> e.contains("ECS shows desired 10"));
    assertThat(lines.subList(1, lines.size()))
        .as("the follow-up samples of the minute")
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line.decision().running())
                    .as(
                        "%s at %s: the scaler saw 5 running tasks, never 0",
                        line.decision().target(), line.decision().time())
                    .isNotEqualTo(Optional.of(0)));
  }
}
