package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The scheduled invocation re-reads every idle target at 15, 30 and 45 s (idle-check-seconds'
 * default), and a round's due targets decide only once those reads are done. At 45 s the round has
 * little time to act (a 90 s deadline less the 2 s flush, 8 s tighter than the deployed 100 s
 * timeout's; an action starts only while two calls at their worst, 20 s each, and the 2 s margin
 * fit, so by 46 s). deploy.md puts a fleet's idle reads at "about 2.5 s of ~20 ms calls" for 1,000
 * idle targets on 8 threads.
 */
class IdleReadsStarveTheLastRoundTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return snapshot(ref);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(ref -> readings.put(ref, ServiceReading.of(snapshot(ref))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired.put(ref.service(), count);
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
        }
      };

  private ServiceSnapshot snapshot(ServiceRef ref) {
    int count = desired.getOrDefault(ref.service(), ref.service().equals("busy-svc") ? 5 : 0);
    return new ServiceSnapshot(count, count, 0);
  }

  /**
   * One scheduled invocation: busy runs 5 tasks on 50 messages, and 200 arrive by its 45 s sample
   * (max-tasks' default, 10, caps it); {@code idle} targets have empty queues, each read costing
   * {@code perRead} of the clock (one thread standing for the pool's eight).
   */
  private CycleReport invocation(int idle, String idleCheckSeconds, Duration perRead) {
    Map<String, String> parameters = new LinkedHashMap<>();
    FixedParameters.putTarget(parameters, "busy");
    parameters.put("busy/backlog-per-task", "10");
    for (int i = 0; i < idle; i++) {
      FixedParameters.putTarget(parameters, "idle" + i);
      parameters.put("idle" + i + "/idle-check-seconds", idleCheckSeconds);
    }
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(parameters),
                url -> {
                  if (url.endsWith("/busy")) {
                    return new QueueSnapshot(secondsIn() >= 45 ? 200 : 50, 0, 0);
                  }
                  clock.advance(perRead);
                  return new QueueSnapshot(0, 0, 0);
                },
                services,
                new InMemoryDecisionStore(),
                outcome -> {},
                clock),
            1,
            AwsClients.WORST_CALL)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }
  }

  @Test
  void withTheScheduleAloneBusyScalesOutAtFortyFiveSeconds() {
    CycleReport report = invocation(1_000, "60", Duration.ofMillis(2_500).dividedBy(1_000));

    assertThat(report.failed()).isFalse();
    assertThat(updates).containsExactly("busy-svc=10@45");
  }

  @Test
  void idleChecksOfAThousandIdleTargetsLeaveBusyItsScaleOutAtFortyFiveSeconds() {
    CycleReport report = invocation(1_000, "15", Duration.ofMillis(2_500).dividedBy(1_000));

    assertThat(report.failures()).as("no target out of time").isEmpty();
    assertThat(updates)
        .as("busy's 45 s sample, as with the schedule alone")
        .containsExactly("busy-svc=10@45");
  }
}
