package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A round decides every due target, then acts: the targets about to change a remembered count read
 * their services together (ten of a cluster per DescribeServices, as ECS reads them), and the
 * update budget goes to the most urgent changes first.
 */
class ActingRoundTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

  /** Each DescribeServices call: the services it read. */
  private final List<List<String>> describeCalls = Collections.synchronizedList(new ArrayList<>());

  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final Map<String, Long> visible = new ConcurrentHashMap<>();
  private final List<TargetOutcome> lines = Collections.synchronizedList(new ArrayList<>());

  /** How long an update takes, on the test's clock. */
  private Duration updateTakes = Duration.ZERO;

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          describeCalls.add(List.of(ref.service()));
          return snapshot(ref);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          describeCalls.add(refs.stream().map(ServiceRef::service).toList());
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(ref -> readings.put(ref, ServiceReading.of(snapshot(ref))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          clock.advance(updateTakes);
          desired.put(ref.service(), count);
          updates.add(ref.service() + "=" + count);
        }
      };

  private ServiceSnapshot snapshot(ServiceRef ref) {
    int count = desired.getOrDefault(ref.service(), 0);
    return new ServiceSnapshot(count, count, 0);
  }

  /** Targets sampled once a minute (no follow-up rounds), each on its own queue. */
  private ScalingCycle cycle(List<String> names, int parallelism, Duration worstCall) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : names) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/sample-interval-seconds", "60");
    }
    return new ScalingCycle(
        new ScalingCycle.Ports(
            FixedParameters.of(keys),
            url -> new QueueSnapshot(visible.getOrDefault(url, 0L), 0, 0),
            services,
            new InMemoryDecisionStore(),
            decision -> {},
            lines::add,
            OperatorLog.NONE,
            Tracing.NONE,
            clock),
        parallelism,
        worstCall);
  }

  private void backlog(String target, long messages) {
    visible.put("https://sqs.local/0/" + target, messages);
  }

  private static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format("%s%02d", prefix, i));
    }
    return names;
  }

  @Test
  void fiftyChangingTargetsOfOneClusterReadTheirServicesInFiveCalls() {
    List<String> targets = names("t", 50);
    try (ScalingCycle cycle = cycle(targets, 8, ScalingCycle.DEFAULT_WORST_CALL)) {
      assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
      // Half a minute later every count is remembered, and every queue has filled.
      clock.advance(Duration.ofSeconds(30));
      targets.forEach(target -> backlog(target, 250));
      describeCalls.clear();

      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(report.failures()).isEmpty();
    }
    assertThat(updates).hasSize(50);
    assertThat(describeCalls)
        .as("each acting target's service read after its decision, ten per call")
        .hasSize(5)
        .allSatisfy(call -> assertThat(call).hasSize(10));
  }

  /**
   * Three scale-ins and a scale-out from zero, named to come last; each update takes a second, and
   * the deadline leaves room for two.
   */
  private ScalingCycle budgetForTwo() {
    ScalingCycle cycle = cycle(List.of("a-in", "b-in", "c-in", "z-out"), 1, Duration.ofMillis(1));
    // The scale-ins' two tasks each are the scaler's own, asked for by a backlog six minutes ago:
    // their windows and the delay to zero have passed (a fleet it never saw would be held).
    List<String> scaleIns = List.of("a-in", "b-in", "c-in");
    scaleIns.forEach(scaleIn -> backlog(scaleIn, 200));
    cycle.run(CycleRequest.ALL_TARGETS);
    scaleIns.forEach(scaleIn -> backlog(scaleIn, 0));
    clock.advance(Duration.ofMinutes(6));
    assertThat(updates).containsExactly("a-in-svc=2", "b-in-svc=2", "c-in-svc=2");
    updates.clear();
    lines.clear();
    backlog("z-out", 250);
    updateTakes = Duration.ofSeconds(1);
    return cycle;
  }

  /**
   * An action starts only while its save and update (1 ms each) and the 2 s margin fit: the first
   * at 0 s and the second at 1 s do, the third at 2 s does not.
   */
  private CycleReport runWithRoomForTwo(ScalingCycle cycle) {
    Deadline deadline = Deadline.at(clock.instant().plusMillis(3_500));
    CycleReport report = cycle.run(CycleRequest.ALL_TARGETS.by(deadline));
    clock.advance(Duration.ofMinutes(1));
    return report;
  }

  private TargetOutcome lineOf(CycleReport report, String target) {
    return report.outcomes().stream()
        .filter(outcome -> outcome.decision().target().equals(target))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aScaleOutFromZeroActsBeforeScaleInsWhenTheBudgetRunsOut() {
    CycleReport report;
    try (ScalingCycle cycle = budgetForTwo()) {
      report = runWithRoomForTwo(cycle);
    }

    assertThat(updates).containsExactly("z-out-svc=3", "a-in-svc=0");
    assertThat(lineOf(report, "z-out").decision().action()).isEqualTo(Action.SCALE_OUT);
    assertThat(lineOf(report, "c-in").decision().reason()).isEqualTo(Reason.OUT_OF_TIME);
  }

  @Test
  void aTargetThatWaitedForTheUpdateBudgetSaysWhyOnItsLine() {
    CycleReport report;
    try (ScalingCycle cycle = budgetForTwo()) {
      report = runWithRoomForTwo(cycle);
    }

    for (String waited : List.of("b-in", "c-in")) {
      DecisionRecord line = lineOf(report, waited).decision();
      assertThat(line.reason()).isEqualTo(Reason.OUT_OF_TIME);
      assertThat(line.errors())
          .singleElement()
          .asString()
          .contains("nothing stored or changed")
          .endsWith("waited for the update budget: 2 more urgent updates went first");
    }
    assertThat(lines)
        .as("the line written is the one reported")
        .filteredOn(outcome -> outcome.decision().target().equals("c-in"))
        .singleElement()
        .extracting(outcome -> outcome.decision().reason())
        .isEqualTo(Reason.OUT_OF_TIME);
  }

  @Test
  void aScaleInThatWaitedForTheUpdateBudgetGoesFirstInTheNextCycle() {
    try (ScalingCycle cycle = budgetForTwo()) {
      runWithRoomForTwo(cycle);
      backlog("z-out", 2_500); // z-out would scale out again: still more urgent by itself
      updates.clear();

      runWithRoomForTwo(cycle);
    }

    assertThat(updates).containsExactly("b-in-svc=0", "c-in-svc=0");
  }

  @Test
  void aTargetThatDecidedInTimeActsWhileAnotherOfItsRoundIsStillDeciding() throws Exception {
    CountDownLatch earlyDone = new CountDownLatch(1);
    CountDownLatch earlyActed = new CountDownLatch(1);
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("early", "slow", "z-after-early")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/sample-interval-seconds", "60");
    }
    QueueProbe queues =
        url -> {
          if (url.endsWith("/z-after-early")) {
            // Queued behind the other two on the round's two threads, this target starts only on
            // the first to come free: early's, once early's decision is in the round's hands.
            earlyDone.countDown();
            return new QueueSnapshot(0, 0, 0);
          }
          if (url.endsWith("/slow")) {
            // The time passes only once the other target has decided: the two read in parallel,
            // and a clock moved before the other's decision reached the round would make it late
            // too (it failed that way once in a fresh build).
            awaitQuietly(earlyDone);
            // Past the last moment the round can wait for its decisions (7 s before a 10 s
            // deadline: an action's two calls at 1 ms, the 2 s margin and 1 s for the turns).
            clock.advance(Duration.ofMillis(7_500));
            awaitQuietly(earlyActed);
            clock.advance(Duration.ofMillis(1_500)); // decided with too little left to act
          }
          return new QueueSnapshot(250, 0, 0);
        };
    ServiceScaler counting =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            return services.describe(ref);
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {
            services.setDesiredCount(ref, count);
            earlyActed.countDown();
          }
        };
    CycleReport report;
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                queues,
                counting,
                new InMemoryDecisionStore(),
                decision -> {},
                lines::add,
                OperatorLog.NONE,
                Tracing.NONE,
                clock),
            2,
            Duration.ofMillis(1))) {
      report = cycle.run(CycleRequest.ALL_TARGETS.by(Deadline.at(clock.instant().plusSeconds(10))));
    }

    assertThat(updates).containsExactly("early-svc=3");
    assertThat(lineOf(report, "early").completed()).isTrue();
    assertThat(lineOf(report, "slow").decision().reason()).isEqualTo(Reason.OUT_OF_TIME);
  }

  @Test
  void theSweepReadsAFifthOfTheServicesEachMinute() {
    List<String> targets = names("t", 100);
    List<List<String>> readPerMinute = new ArrayList<>();
    try (ScalingCycle cycle = cycle(targets, 8, ScalingCycle.DEFAULT_WORST_CALL)) {
      for (int minute = 0; minute <= 5; minute++) {
        describeCalls.clear();
        assertThat(cycle.run(CycleRequest.ALL_TARGETS).failures()).isEmpty();
        readPerMinute.add(describeCalls.stream().flatMap(List::stream).sorted().toList());
        clock.advance(Duration.ofMinutes(1));
      }
    }

    assertThat(readPerMinute.get(0)).as("a new container reads every service").hasSize(100);
    for (int minute = 1; minute <= 5; minute++) {
      assertThat(readPerMinute.get(minute))
          .as("minute %d reads about a fifth", minute)
          .hasSizeBetween(10, 30);
    }
    assertThat(readPerMinute.subList(1, 6).stream().flatMap(List::stream))
        .as("each service once in the five minutes after")
        .hasSize(100)
        .doesNotHaveDuplicates();
  }

  /** Waits up to 5 s; a wait that gives up lets the test's assertions say what did not happen. */
  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
