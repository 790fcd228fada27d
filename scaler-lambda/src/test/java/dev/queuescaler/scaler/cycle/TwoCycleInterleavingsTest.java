package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.Sample;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two cycles of one target, A and B, each with four steps that touch shared state, in the order
 * production takes them (read the service in the round's batch, load the stored state, store the
 * next state, update the service), run in every one of the 70 interleavings, deterministically:
 * each step waits at a gate until the schedule lets its cycle go; steps beyond the four (a cycle
 * that reads its service again) run after the schedule. Whatever the order, no cycle sets a count
 * from a service read older than another cycle's update, and no stored history loses what an
 * earlier one stored.
 */
class TwoCycleInterleavingsTest {

  private static final TargetConfig TARGET =
      new TargetConfig(
          new TargetName("orders"),
          "http://sqs.local/000000000000/orders",
          "workers",
          "orders-svc",
          true,
          false,
          true,
          Optional.of(
              new ScalingParameters(
                  0, 20, 10, 1, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0)),
          dev.queuescaler.scaler.policy.SamplingPlan.ONCE,
          List.of());

  /** Every order of AAAA and BBBB. */
  static Stream<String> interleavings() {
    List<String> all = new ArrayList<>();
    collect("", 4, 4, all);
    return all.stream();
  }

  private static void collect(String prefix, int a, int b, List<String> into) {
    if (a == 0 && b == 0) {
      into.add(prefix);
      return;
    }
    if (a > 0) {
      collect(prefix + "A", a - 1, b, into);
    }
    if (b > 0) {
      collect(prefix + "B", a, b - 1, into);
    }
  }

  /** One step that touched shared state, in the order it happened. */
  private record Step(String cycle, String kind, int value) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("interleavings")
  void noCycleActsOnAReadOlderThanAnotherCyclesActionAndNoHistoryGoesBack(String schedule)
      throws Exception {
    World world = new World();
    // The stored history already holds a recommendation from a minute ago.
    world.store.save(
        TARGET.name(),
        0,
        new ScalingHistory(
            List.of(new Recommendation(world.clock.instant().minusSeconds(60), 1)),
            Optional.empty()),
        Optional.empty());
    world.desired = 1;

    Thread a = world.start("A");
    Thread b = world.start("B");
    world.awaitGateOrEnd("A");
    world.awaitGateOrEnd("B");
    for (char next : schedule.toCharArray()) {
      String cycle = String.valueOf(next);
      if (world.finished.containsKey(cycle)) {
        continue;
      }
      world.gates.get(cycle).release();
      world.awaitGateOrEnd(cycle);
    }
    for (String cycle : List.of("A", "B", "A", "B", "A", "B")) {
      if (!world.finished.containsKey(cycle)) {
        world.gates.get(cycle).release();
        world.awaitGateOrEnd(cycle);
      }
    }
    a.join(5_000);
    b.join(5_000);

    List<Step> log = world.log;
    for (int i = 0; i < log.size(); i++) {
      Step step = log.get(i);
      if (!step.kind().equals("update")) {
        continue;
      }
      int readAt = lastIndexOf(log, step.cycle(), "read", i);
      for (int j = readAt; j < i; j++) {
        assertThat(log.get(j).kind().equals("update") && !log.get(j).cycle().equals(step.cycle()))
            .as("%s updated on a read older than another cycle's update: %s", step.cycle(), log)
            .isFalse();
      }
    }
    ScalingHistory stored = world.memory.load(TARGET.name()).history();
    assertThat(stored.recommendations())
        .as("the history never loses an earlier entry: %s", log)
        .extracting(Recommendation::at)
        .contains(world.start.minusSeconds(60));
    assertThat(world.desired).as("the backlog's count is set").isEqualTo(5);
  }

  private static int lastIndexOf(List<Step> log, String cycle, String kind, int before) {
    for (int i = before - 1; i >= 0; i--) {
      if (log.get(i).cycle().equals(cycle) && log.get(i).kind().equals(kind)) {
        return i;
      }
    }
    throw new AssertionError(cycle + " updated without reading first: " + log);
  }

  /** In-memory ports whose shared steps wait at a per-cycle gate and log what they did. */
  private static final class World implements QueueProbe, ServiceScaler {
    final Instant start = Instant.parse("2026-11-28T12:00:00Z");
    final MutableClock clock = new MutableClock(start);
    final InMemoryDecisionStore memory = new InMemoryDecisionStore();
    final Map<String, Semaphore> gates = new ConcurrentHashMap<>();
    final Map<String, BlockingQueue<String>> arrivals = new ConcurrentHashMap<>();
    final Map<String, TargetOutcome> finished = new ConcurrentHashMap<>();
    final List<Step> log = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile int desired;

    final DecisionStore store =
        new DecisionStore() {
          @Override
          public StoredState load(TargetName target) {
            gate();
            StoredState state = memory.load(target);
            log.add(new Step(me(), "load", (int) state.version()));
            return state;
          }

          @Override
          public Optional<StoredState> save(
              TargetName target,
              long expectedVersion,
              ScalingHistory next,
              Optional<LastAction> pending) {
            if (!gates.containsKey(me())) {
              return memory.save(target, expectedVersion, next, pending); // the test's seed
            }
            gate();
            Optional<StoredState> saved = memory.save(target, expectedVersion, next, pending);
            log.add(new Step(me(), saved.isPresent() ? "save" : "save-lost", 0));
            return saved;
          }
        };

    Thread start(String name) {
      gates.put(name, new Semaphore(0));
      arrivals.put(name, new LinkedBlockingQueue<>());
      TargetCycle cycle =
          new TargetCycle(this, this, store, clock, ScalingCycle.DEFAULT_WORST_CALL);
      Thread thread =
          new Thread(
              () -> {
                try {
                  // The round's batched read comes first, before the state is loaded.
                  Instant readStarted = clock.instant();
                  ServiceReading batched = ServiceReading.of(describe(null));
                  finished.put(
                      name,
                      cycle.run(
                          TARGET,
                          Deadline.NONE,
                          Sample.FIRST_OF_INVOCATION,
                          Optional.of(new BatchedRead(batched, readStarted))));
                } finally {
                  arrivals.get(name).add("end");
                }
              },
              name);
      thread.start();
      return thread;
    }

    void awaitGateOrEnd(String cycle) throws InterruptedException {
      String arrival = arrivals.get(cycle).poll(5, TimeUnit.SECONDS);
      assertThat(arrival).as("cycle %s neither reached a gate nor ended", cycle).isNotNull();
    }

    private void gate() {
      String me = me();
      clock.advance(Duration.ofSeconds(1)); // each step happens later than the one before
      arrivals.get(me).add("gate");
      gates.get(me).acquireUninterruptibly();
    }

    private static String me() {
      return Thread.currentThread().getName();
    }

    @Override
    public QueueSnapshot read(String queueUrl) {
      return new QueueSnapshot(50, 0, 0);
    }

    @Override
    public ServiceSnapshot describe(ServiceRef service) {
      gate();
      int seen = desired;
      log.add(new Step(me(), "read", seen));
      return new ServiceSnapshot(seen, seen, 0);
    }

    @Override
    public void setDesiredCount(ServiceRef service, int count) {
      gate();
      desired = count;
      log.add(new Step(me(), "update", count));
    }
  }
}
