package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * When the deadline leaves room for fewer targets than there are, the ones left out wait their
 * turn: the longest-waiting go first, so every target is decided within ceil(targets / room)
 * cycles.
 */
class ScalingCycleFairnessTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

  /** Every queue read takes a second of the clock: the deadline then bounds targets per cycle. */
  private final QueueProbe oneSecondReads =
      url -> {
        clock.advance(Duration.ofSeconds(1));
        return new QueueSnapshot(0, 0, 0);
      };

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef service) {
          return new ServiceSnapshot(1, 1, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef service, int count) {}
      };

  private static ParameterSource targets(int count) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      FixedParameters.putTarget(keys, "t" + i);
      keys.put("t" + i + "/min-tasks", "1");
    }
    return FixedParameters.of(keys);
  }

  private ScalingCycle cycle(WaitingTargets waiting) {
    return new ScalingCycle(
        new ScalingCycle.Ports(
            targets(COUNT),
            oneSecondReads,
            services,
            new InMemoryDecisionStore(),
            decision -> {},
            outcome -> {},
            OperatorLog.NONE,
            Tracing.NONE,
            clock),
        1,
        Duration.ofMillis(1),
        waiting);
  }

  /** One cycle with room for three targets; the targets it decided. */
  private Set<String> runWithRoomForThree(ScalingCycle cycle) {
    // Room for three targets, at 1 s each: a target starts, and stores its state, only while its
    // save and update (1 ms each here) and the deadline's 2 s margin fit. The fourth starts at 3 s
    // with 2.0025 s left but is out of time at its save, 1 s later; nothing later starts.
    Deadline deadline =
        Deadline.at(clock.instant().plus(Duration.ofMillis(5_002).plusNanos(500_000)));
    CycleReport report = cycle.run(CycleRequest.ALL_TARGETS.by(deadline));
    Set<String> decided = new TreeSet<>();
    report.outcomes().stream()
        .filter(o -> o.decision().reason() != Reason.OUT_OF_TIME)
        .forEach(o -> decided.add(o.decision().target()));
    clock.advance(Duration.ofMinutes(1));
    return decided;
  }

  private static final int COUNT = 7;

  @Test
  void aTargetLeftOutIsNeverLeftOutTwiceInARowWhileOthersAreDecidedTwice() {
    List<Set<String>> decidedPerCycle = new ArrayList<>();
    try (ScalingCycle cycle = cycle(WaitingTargets.inMemory())) {
      for (int c = 0; c < 5; c++) {
        decidedPerCycle.add(runWithRoomForThree(cycle));
      }
    }

    assertFair(decidedPerCycle);
  }

  @Test
  void theWaitsHoldAcrossContainersThatShareThem() {
    WaitingTargets table = WaitingTargets.inMemory();
    List<Set<String>> decidedPerCycle = new ArrayList<>();
    try (ScalingCycle first = cycle(table);
        ScalingCycle second = cycle(table)) {
      for (int c = 0; c < 5; c++) {
        // An overloaded cycle outlasts the minute: the next invocation runs in another container.
        decidedPerCycle.add(runWithRoomForThree(c % 2 == 0 ? first : second));
      }
    }

    assertFair(decidedPerCycle);
  }

  @Test
  void aRunForOneTargetLeavesTheFleetsWaitsAlone() {
    WaitingTargets table = WaitingTargets.inMemory();
    try (ScalingCycle cycle = cycle(table)) {
      runWithRoomForThree(cycle);
      Map<dev.queuescaler.scaler.config.TargetName, Integer> waits = table.load();

      cycle.run(
          new CycleRequest(
              java.util.Optional.of(new dev.queuescaler.scaler.config.TargetName("t0")), false));
      cycle.run(new CycleRequest(java.util.Optional.empty(), true));

      assertThat(table.load()).isEqualTo(waits).hasSize(COUNT - 3);
    }
  }

  @Test
  void aCycleWhoseWaitsCannotBeStoredFailsSoTheAlarmSaysTheOrderIsLost() {
    WaitingTargets unwritable =
        new WaitingTargets() {
          @Override
          public Map<dev.queuescaler.scaler.config.TargetName, Integer> load() {
            return Map.of();
          }

          @Override
          public void save(Map<dev.queuescaler.scaler.config.TargetName, Integer> waiting) {
            throw new IllegalStateException("PutItem failed: ProvisionedThroughputExceeded");
          }
        };
    try (ScalingCycle cycle = cycle(unwritable)) {
      Deadline deadline =
          Deadline.at(clock.instant().plus(Duration.ofMillis(5_002).plusNanos(500_000)));

      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS.by(deadline));

      assertThat(report.failures())
          .anySatisfy(
              failure ->
                  assertThat(failure)
                      .contains("waiting targets not stored")
                      .contains("ProvisionedThroughputExceeded"));
    }
  }

  private static void assertFair(List<Set<String>> decidedPerCycle) {
    int count = COUNT;
    assertThat(decidedPerCycle).allSatisfy(decided -> assertThat(decided).hasSize(3));
    Set<String> withinThreeCycles = new TreeSet<>();
    for (int c = 0; c < 3; c++) {
      withinThreeCycles.addAll(decidedPerCycle.get(c));
    }
    assertThat(withinThreeCycles).as("ceil(7 / 3) = 3 cycles").hasSize(count);
    for (int c = 1; c < decidedPerCycle.size(); c++) {
      for (int i = 0; i < count; i++) {
        String name = "t" + i;
        boolean leftOutTwice =
            !decidedPerCycle.get(c).contains(name) && !decidedPerCycle.get(c - 1).contains(name);
        boolean someoneDecidedTwice =
            decidedPerCycle.get(c).stream().anyMatch(decidedPerCycle.get(c - 1)::contains);
        assertThat(leftOutTwice && someoneDecidedTwice)
            .as("%s left out in cycles %d and %d: %s", name, c - 1, c, decidedPerCycle)
            .isFalse();
      }
    }
  }
}
