package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
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
 * A round's acting targets read their remembered services again before they act. One of them finds
 * its count already where it wanted it (someone set it in the console): it has no update to make,
 * so the update budget, spent to its end on the others, must not fail it.
 *
 * <p>The round at 45 s of a 90 s invocation, at the production per-call budget (an action starts no
 * later than 48 s), each update taking a second: the four scale-outs start at 45 to 48 s.
 */
class RereadActionsTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());

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
          clock.advance(Duration.ofSeconds(1)); // the update pacer's slot, one a second
          desired.put(ref.service(), count);
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
        }
      };

  private ServiceSnapshot snapshot(ServiceRef ref) {
    // An operator sets f to ten tasks in the console at 20 s: this container remembers five.
    int fallback = ref.service().equals("f-svc") && secondsIn() >= 20 ? 10 : 5;
    int count = desired.getOrDefault(ref.service(), fallback);
    return new ServiceSnapshot(count, count, 0);
  }

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  /** Five targets at five tasks; their queues double just before 45 s. */
  private CycleReport invocation() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c", "d", "f")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/sample-interval-seconds", "15");
    }
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(secondsIn() >= 45 ? 100 : 50, 0, 0),
                services,
                new InMemoryDecisionStore(),
                decision -> {},
                outcome -> {},
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                when -> {
                  if (when.isAfter(clock.instant())) {
                    clock.advance(Duration.between(clock.instant(), when));
                  }
                }),
            1,
            AwsClients.WORST_CALL)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }
  }

  @Test
  void aTargetWhoseRereadShowsItsCountAlreadySetHoldsWithoutFailingTheCycle() {
    CycleReport report = invocation();

    assertThat(updates)
        .as("the four scale-outs start in time")
        .containsExactly("a-svc=10@46", "b-svc=10@47", "c-svc=10@48", "d-svc=10@49");
    assertThat(report.outcomes())
        .filteredOn(outcome -> outcome.decision().target().equals("f"))
        .filteredOn(outcome -> !outcome.decision().time().isBefore(start.plusSeconds(45)))
        .as("f read 10, wants 10: nothing to update, so nothing to be out of time for")
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.decision().action()).isEqualTo(Action.HOLD);
              assertThat(outcome.decision().reason()).isNotEqualTo(Reason.OUT_OF_TIME);
            });
    assertThat(report.failures()).as("every update the round needed was made").isEmpty();
  }
}
