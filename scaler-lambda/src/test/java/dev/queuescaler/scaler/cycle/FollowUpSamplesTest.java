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
import org.junit.jupiter.api.Test;

/**
 * Two targets sampled every 15 s within a 90 s Lambda invocation at the production per-call budget
 * (20 s): the rounds at 15, 30 and 45 s decide on the counts read at 0 s while they hold, a target
 * that acts reads its service first, and a wait for a killed predecessor's lease does not cost the
 * sample at 45 s.
 */
class FollowUpSamplesTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<String> reads = Collections.synchronizedList(new ArrayList<>());
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());

  /** Messages waiting: 50 (five tasks' worth) unless a test makes more arrive. */
  private volatile java.util.function.LongSupplier visible = () -> 50;

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          reads.add("single@" + secondsIn());
          return new ServiceSnapshot(5, 5, 0);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          reads.add("batch@" + secondsIn());
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(ref -> readings.put(ref, ServiceReading.of(new ServiceSnapshot(5, 5, 0))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
        }
      };

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  private CycleReport invocation(CycleLease lease) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("orders", "billing")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/policy", "backlog-per-task");
      keys.put(name + "/sample-interval-seconds", "15");
    }
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(visible.getAsLong(), 0, 0),
                services,
                new InMemoryDecisionStore(),
                outcome -> lines.add(outcome.decision().target() + "@" + secondsIn()),
                clock),
            2,
            AwsClients.WORST_CALL,
            WaitingTargets.inMemory(),
            lease)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }
  }

  @Test
  void followUpRoundsThatHoldDecideOnTheCountsReadAtZeroAndReadNoService() {
    CycleReport report = invocation(CycleLease.inProcess());

    assertThat(report.failures()).isEmpty();
    assertThat(lines).contains("orders@15", "orders@30", "billing@45");
    assertThat(reads).containsExactly("batch@0");
  }

  @Test
  void aFollowUpThatWouldActReadsItsServiceFirst() {
    visible = () -> secondsIn() >= 30 ? 100 : 50;

    CycleReport report = invocation(CycleLease.inProcess());

    assertThat(report.failures()).isEmpty();
    assertThat(reads)
        .as("both services of the cluster in one read, before either acts")
        .containsExactly("batch@0", "batch@30");
    assertThat(updates).containsExactlyInAnyOrder("orders-svc=10@30", "billing-svc=10@30");
  }

  @Test
  void aWaitForAKilledPredecessorsLeaseDoesNotCostTheSampleAt45Seconds() {
    CycleLease lease = CycleLease.inProcess();
    // The predecessor was killed at its deadline; its lease ends 5 s from now, with the allowance.
    lease.tryAcquire(
        new CycleLease.Holder("killed", start.plusSeconds(5).minus(CycleLease.SKEW_ALLOWANCE)),
        start.minusSeconds(90));

    CycleReport report = invocation(lease);

    assertThat(report.failures()).isEmpty();
    assertThat(lines).contains("orders@45", "billing@45");
  }
}
