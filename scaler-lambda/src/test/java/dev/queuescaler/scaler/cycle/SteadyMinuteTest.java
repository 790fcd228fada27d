package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What a steady minute costs: a target that stays idle writes no state after its first, a service
 * is read once per sweep unless its target acts, and the scaler acts on no count it has not just
 * read.
 */
class SteadyMinuteTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final List<String> reads = Collections.synchronizedList(new ArrayList<>());
  private final SaveRecordingStore store = new SaveRecordingStore();
  private final List<String> saves = store.saves();
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final Map<String, Long> visible = new ConcurrentHashMap<>();

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          reads.add("single " + ref.service());
          return snapshot(ref);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          reads.add(refs.stream().map(ServiceRef::service).sorted().toList().toString());
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(ref -> readings.put(ref, ServiceReading.of(snapshot(ref))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired.put(ref.service(), count);
        }
      };

  private ServiceSnapshot snapshot(ServiceRef ref) {
    int count = desired.getOrDefault(ref.service(), 0);
    return new ServiceSnapshot(count, count, 0);
  }

  private ScalingCycle cycle() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("quiet", "busy")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/policy", "backlog-per-task");
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/sample-interval-seconds", "60");
    }
    return new ScalingCycle(
        new ScalingCycle.Ports(
            FixedParameters.of(keys),
            url -> new QueueSnapshot(visible.getOrDefault(url, 0L), 0, 0),
            services,
            store,
            decision -> {},
            outcome -> {},
            OperatorLog.NONE,
            Tracing.NONE,
            clock),
        1);
  }

  private void minutes(ScalingCycle cycle, int count) {
    for (int i = 0; i < count; i++) {
      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);
      assertThat(report.failures()).isEmpty();
      clock.advance(Duration.ofMinutes(1));
    }
  }

  @Test
  void anIdleTargetWritesItsStateOnceAndItsServiceIsReadOncePerSweep() {
    try (ScalingCycle cycle = cycle()) {
      minutes(cycle, 6);
    }

    assertThat(saves).as("the first sample of each").containsExactlyInAnyOrder("quiet", "busy");
    assertThat(reads).as("both at the first minute").first().isEqualTo("[busy-svc, quiet-svc]");
    for (String service : List.of("quiet-svc", "busy-svc")) {
      assertThat(reads.subList(1, reads.size()))
          .as("%s again once, at its own minute of the next five", service)
          .filteredOn(read -> read.contains(service))
          .hasSize(1);
    }
  }

  @Test
  void aTargetThatActsOnARememberedCountReadsItsServiceFirstAndWritesItsState() {
    try (ScalingCycle cycle = cycle()) {
      minutes(cycle, 2);
      // Someone else sets busy to 3 tasks, unseen until a read.
      desired.put("busy-svc", 3);
      visible.put("https://sqs.local/0/busy", 50L);
      reads.clear();

      minutes(cycle, 1);
    }

    assertThat(reads)
        .as("read once in the minute it acts: by its sweep, or before it acts")
        .filteredOn(read -> read.contains("busy-svc"))
        .hasSize(1);
    assertThat(desired)
        .as("from the 3 it read, not the 0 it remembered")
        .containsEntry("busy-svc", 5);
    assertThat(saves).containsExactlyInAnyOrder("quiet", "busy", "busy");
  }

  @Test
  void
      aTargetWaitingOutItsWindowOnAnEmptyQueueWritesItsFirstEmptySampleItsScaleInAndItsFirstIdleMinute() {
    List<Integer> counts = new ArrayList<>();
    try (ScalingCycle cycle = cycle()) {
      visible.put("https://sqs.local/0/busy", 50L);
      minutes(cycle, 1);
      visible.put("https://sqs.local/0/busy", 0L);
      saves.clear();

      for (int minute = 0; minute < 8; minute++) {
        minutes(cycle, 1);
        counts.add(desired.get("busy-svc"));
      }
    }

    assertThat(counts)
        .as("backlog-per-task's 300 s window holds the 5 tasks, then the fleet stops at once")
        .containsExactly(5, 5, 5, 5, 0, 0, 0, 0);
    assertThat(saves.stream().filter("busy"::equals))
        .as(
            "the first empty sample, the scale-in, and the first minute at zero (from then on it"
                + " is decided once a minute, and its run is counted so): nothing while it waits"
                + " or stays idle")
        .hasSize(3);
  }
}
