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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A service whose five-minute sweep falls due while the scaler's own update to it is still
 * settling: a read taken before the update has settled cannot stand in for one after the target's
 * state load, so it costs a call and shows nothing the update's own count does not. The service is
 * read once, in its round's batch, after the update has settled; that read is its sweep.
 */
class SweepWhileSettlingTest {

  private static final ServiceRef ORDERS = new ServiceRef("workers", "orders-svc");

  /** The minute before the one at which orders-svc's sweep falls due. */
  private final Instant start = minuteBeforeTheSweep(Instant.parse("2026-11-28T12:00:00Z"));

  private final MutableClock clock = new MutableClock(start);
  private final AtomicInteger desired = new AtomicInteger(5);
  private final List<String> reads = Collections.synchronizedList(new ArrayList<>());
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          reads.add("single " + ref.service() + "@" + secondsIn());
          return new ServiceSnapshot(desired.get(), desired.get(), 0);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          reads.add(refs.stream().map(ServiceRef::service).sorted().toList() + "@" + secondsIn());
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(
              ref ->
                  readings.put(
                      ref,
                      ServiceReading.of(new ServiceSnapshot(desired.get(), desired.get(), 0))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
          desired.set(count);
        }
      };

  private static Instant minuteBeforeTheSweep(Instant from) {
    return IntStream.range(0, 5)
        .mapToObj(minute -> from.plus(Duration.ofMinutes(minute)))
        .filter(
            minute ->
                ServiceMemory.sweepOf(ORDERS, minute.plusSeconds(60))
                    > ServiceMemory.sweepOf(ORDERS, minute))
        .findFirst()
        .orElseThrow();
  }

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  private ScalingCycle cycle() {
    Map<String, String> keys = FixedParameters.backlogPerTask("orders", 10, 15);
    return new ScalingCycle(
        VirtualTimePorts.of(
            FixedParameters.of(keys),
            // Five tasks' worth of messages until 30 s in, then ten.
            url -> new QueueSnapshot(secondsIn() >= 30 ? 100 : 50, 0, 0),
            services,
            new InMemoryDecisionStore(),
            outcome -> {},
            clock),
        1,
        AwsClients.WORST_CALL,
        WaitingTargets.inMemory(),
        CycleLease.inProcess());
  }

  private void invocationAt(ScalingCycle cycle, Instant at) {
    clock.advance(Duration.between(clock.instant(), at));
    CycleReport report =
        cycle.run(
            CycleRequest.ALL_TARGETS
                .by(Deadline.at(at.plusSeconds(90)))
                .within(Duration.ofMinutes(1)));
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aServiceWhoseSweepFallsDueWhileItsOwnUpdateSettlesIsReadOnceInABatchAfterItSettled() {
    try (ScalingCycle cycle = cycle()) {
      invocationAt(cycle, start);
      // At 30 s the backlog doubles: the target reads its service and scales out to 10. At the
      // production per-call budget (20 s) the update settles 40 s later, 10 s into the next
      // minute, the one at which the service's sweep falls due.
      assertThat(updates).containsExactly("orders-svc=10@30");
      assertThat(reads).containsExactly("[orders-svc]@0", "[orders-svc]@30");
      reads.clear();

      invocationAt(cycle, start.plusSeconds(60));
    }

    assertThat(updates).as("it holds at 10").containsExactly("orders-svc=10@30");
    assertThat(reads)
        .as(
            "the sweep's minute (rounds at 60, 75, 90 and 105 s): one DescribeServices call, in"
                + " the first round after the update settled (70 s), and no read on its own")
        .containsExactly("[orders-svc]@75");
  }
}
