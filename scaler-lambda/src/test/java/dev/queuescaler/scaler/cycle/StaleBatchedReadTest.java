package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scenario on the production path, a round's batched service read taken before the
 * state load: B reads desired 1; A scales out to 5; a later sample holds and saves; then B loads
 * and decides. B must not set a count computed from its read of 1.
 */
class StaleBatchedReadTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private volatile int desired = 1;
  private volatile long visible = 50;
  private final List<Integer> updates = new ArrayList<>();

  private final QueueProbe queue = url -> new QueueSnapshot(visible, 0, 0);

  /** Every service read, as cycle:kind:desired seen. */
  private final List<String> reads = java.util.Collections.synchronizedList(new ArrayList<>());

  private ServiceScaler service(String cycle, CountDownLatch readTaken, CountDownLatch goOn) {
    return new ServiceScaler() {
      @Override
      public ServiceSnapshot describe(ServiceRef ref) {
        reads.add(cycle + ":single:" + desired);
        return new ServiceSnapshot(desired, desired, 0);
      }

      @Override
      public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
        Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
        reads.add(cycle + ":batch:" + desired);
        refs.forEach(
            ref -> readings.put(ref, ServiceReading.of(new ServiceSnapshot(desired, desired, 0))));
        readTaken.countDown();
        try {
          goOn.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return readings;
      }

      @Override
      public void setDesiredCount(ServiceRef ref, int count) {
        synchronized (updates) {
          updates.add(count);
        }
        desired = count;
      }
    };
  }

  private ScalingCycle cycle(ServiceScaler services) {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/backlog-per-task", "10");
    keys.put("orders/max-tasks", "20");
    keys.put("orders/policy", "backlog-per-task");
    keys.put("orders/sample-interval-seconds", "60");
    return new ScalingCycle(
        new ScalingCycle.Ports(
            FixedParameters.of(keys),
            queue,
            services,
            store,
            decision -> {},
            outcome -> {},
            OperatorLog.NONE,
            Tracing.NONE,
            clock),
        1);
  }

  @Test
  void aStaleBatchedReadNeverActsPastAnotherCyclesAction() throws Exception {
    CountDownLatch none = new CountDownLatch(0);
    // An earlier cycle recommended 1 a minute ago.
    visible = 5;
    try (ScalingCycle earlier = cycle(service("earlier", new CountDownLatch(1), none))) {
      earlier.run(CycleRequest.ALL_TARGETS);
    }
    assertThat(desired).isEqualTo(1);
    clock.advance(Duration.ofSeconds(60));

    CountDownLatch bRead = new CountDownLatch(1);
    CountDownLatch bGoOn = new CountDownLatch(1);
    CompletableFuture<CycleReport> b;
    try (ScalingCycle cycleB = cycle(service("B", bRead, bGoOn))) {
      // B's round reads the service (desired 1), then stalls before loading the state.
      b = CompletableFuture.supplyAsync(() -> cycleB.run(CycleRequest.ALL_TARGETS));
      assertThat(bRead.await(5, TimeUnit.SECONDS)).isTrue();

      // A scales out to 5 for a backlog of 50.
      clock.advance(Duration.ofSeconds(1));
      visible = 50;
      try (ScalingCycle cycleA = cycle(service("A", new CountDownLatch(1), none))) {
        cycleA.run(CycleRequest.ALL_TARGETS);
      }
      assertThat(desired).isEqualTo(5);

      // A later sample reads 5, holds, and stores its state.
      clock.advance(Duration.ofSeconds(1));
      try (ScalingCycle cycleC = cycle(service("C", new CountDownLatch(1), none))) {
        cycleC.run(CycleRequest.ALL_TARGETS);
      }

      // B stalls past the moment A's update had certainly landed, so only the age of B's read
      // tells it apart from a fresh one. The backlog shrinks; B goes on with its read of 1.
      clock.advance(ScalingCycle.DEFAULT_WORST_CALL.multipliedBy(2).plusSeconds(1));
      visible = 30;
      bGoOn.countDown();
      b.get(5, TimeUnit.SECONDS);
    }

    assertThat(updates)
        .as("B's read of 1 predates A's action: setting 3 would scale in past the window")
        .containsExactly(5);
    assertThat(desired).isEqualTo(5);
    assertThat(reads).as("B read its service again after the load").contains("B:single:5");
  }
}
