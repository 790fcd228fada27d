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
 * Scale-ins that fall due together in the sample at 45 s of a 90 s invocation, at the production
 * per-call budget (20 s: an action starts no later than 48 s), with each update taking a second of
 * the update budget: only four start in time. A steady fleet whose stabilization windows end
 * together (targets that scaled out in the same minute) meets this every few minutes.
 */
class LastRoundScaleInsTest {

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
    int count = desired.getOrDefault(ref.service(), 5);
    return new ServiceSnapshot(count, count, 0);
  }

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  /** Six targets at five tasks; their queues drain to one task's worth just before 45 s. */
  private CycleReport invocation() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c", "d", "e", "f")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/sample-interval-seconds", "15");
      keys.put(name + "/scale-in-stabilization-seconds", "0");
    }
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(secondsIn() >= 45 ? 10 : 50, 0, 0),
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

  private List<TargetOutcome> at45(CycleReport report) {
    return report.outcomes().stream()
        .filter(outcome -> !outcome.decision().time().isBefore(start.plusSeconds(45)))
        .toList();
  }

  @Test
  void followUpScaleInsTheUpdateBudgetCannotStartInTimeWaitForTheNextInvocation() {
    CycleReport report = invocation();

    assertThat(updates)
        .as("the four that start by 48 s")
        .containsExactly("a-svc=1@46", "b-svc=1@47", "c-svc=1@48", "d-svc=1@49");
    assertThat(report.failures()).as("a steady minute fails nothing").isEmpty();
    assertThat(at45(report))
        .as("the others hold their count, as a follow-up sample may, to the next first sample")
        .filteredOn(outcome -> outcome.decision().action() == Action.HOLD)
        .extracting(outcome -> outcome.decision().target(), outcome -> outcome.decision().reason())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("e", Reason.STABILIZING),
            org.assertj.core.groups.Tuple.tuple("f", Reason.STABILIZING));
    assertThat(report.outcomes())
        .as("no target is out of time")
        .noneMatch(outcome -> outcome.decision().reason() == Reason.OUT_OF_TIME);
  }
}
