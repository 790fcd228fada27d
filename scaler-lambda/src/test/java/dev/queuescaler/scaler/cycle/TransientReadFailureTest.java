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
import org.junit.jupiter.api.Test;

/**
 * A read that fails once (GetQueueAttributes throttled at the minute's first sample, after the
 * SDK's retries) is a failure of that sample, not of the target's minute: an active target sampled
 * every 15 s is sampled again at its next offset, so a backlog that arrives meanwhile is not left
 * to the next invocation.
 */
class TransientReadFailureTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());
  private volatile int desired = 1;

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return new ServiceSnapshot(desired, desired, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired = count;
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
        }
      };

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  /** Throttled at the first sample; from 15 s on, 100 messages (ten tasks' worth) wait. */
  private QueueSnapshot queue(String url) {
    if (secondsIn() < 15) {
      throw new IllegalStateException(
          "GetQueueAttributes on " + url + ": Rate exceeded (Service: Sqs, Status Code: 400)");
    }
    return new QueueSnapshot(100, 0, 0);
  }

  @Test
  void aTargetWhoseFirstQueueReadWasThrottledIsSampledAgainWithinTheMinute() {
    Map<String, String> keys = FixedParameters.backlogPerTask("orders", 10, 15);
    CycleReport report;
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(keys),
                this::queue,
                services,
                new InMemoryDecisionStore(),
                outcome -> {},
                clock),
            2,
            AwsClients.WORST_CALL)) {
      report =
          cycle.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(start.plusSeconds(90)))
                  .within(Duration.ofMinutes(1)));
    }

    assertThat(report.failures())
        .as("the throttled sample is reported")
        .anyMatch(failure -> failure.contains("QUEUE_UNREADABLE"));
    assertThat(updates)
        .as("the backlog that arrived by 15 s is scaled out to within the minute")
        .containsExactly("orders-svc=10@15");
  }
}
