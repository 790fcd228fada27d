package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A round's shared steps: batched reads that overlap the decisions, and never fail targets. */
class ScalingCycleRoundsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final List<TargetOutcome> lines = Collections.synchronizedList(new ArrayList<>());

  private final ServiceScaler servicesWhoseBatchBreaks =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef service) {
          int count = desired.getOrDefault(service.service(), 0);
          return new ServiceSnapshot(count, count, 0);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> services) {
          throw new IllegalStateException("batch broke");
        }

        @Override
        public void setDesiredCount(ServiceRef service, int count) {
          desired.put(service.service(), count);
        }
      };

  private final OperatorLog log =
      new OperatorLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void error(String message) {
          errors.add(message);
        }
      };

  @Test
  void aBrokenBatchedServiceReadLeavesEachTargetToReadItsOwn() {
    Map<String, String> keys = new java.util.HashMap<>();
    FixedParameters.putTarget(keys, "orders");
    ParameterSource parameters = FixedParameters.of(keys);
    QueueProbe queues = url -> new QueueSnapshot(250, 0, 0);
    DecisionEvents brokenBus =
        decision -> {
          throw new IllegalStateException("bus down");
        };

    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                parameters,
                queues,
                servicesWhoseBatchBreaks,
                new InMemoryDecisionStore(),
                brokenBus,
                lines::add,
                log,
                Tracing.NONE,
                clock),
            1)) {
      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(desired).containsEntry("orders-svc", 3);
      assertThat(errors).anyMatch(e -> e.contains("batched service read failed"));
      assertThat(lines).singleElement();
      // The line was out before the round's events went: a lost event is the cycle's failure.
      assertThat(report.failures())
          .singleElement()
          .asString()
          .contains("orders: SCALE_OUT done, its event not sent: bus down");
      assertThat(errors).anyMatch(e -> e.contains("its event not sent: bus down"));
    }
  }

  @Test
  void readsTenOfAClusterAtOnceKeepingTheTargetsOrder() {
    List<ServiceRef> refs = new ArrayList<>();
    refs.add(new ServiceRef("lone", "skipped-last-cycle"));
    for (int i = 0; i < 12; i++) {
      refs.add(new ServiceRef("big", "s" + i));
    }
    refs.add(new ServiceRef("other", "o"));

    assertThat(ScalingCycle.readBatches(refs, 10))
        .containsExactly(
            List.of(0), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), List.of(11, 12), List.of(13));
  }

  @Test
  void aBatchsTargetsDecideWhileTheNextBatchIsStillBeingReadAndActOnceTheRoundHasDecided()
      throws Exception {
    Map<String, String> keys = new java.util.TreeMap<>();
    for (int i = 0; i < 20; i++) {
      FixedParameters.putTarget(keys, String.format("t%02d", i));
    }
    ParameterSource parameters = FixedParameters.of(keys);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch firstDecision = new java.util.concurrent.CountDownLatch(1);
    QueueProbe queues =
        url -> {
          events.add("queue " + url.substring(url.lastIndexOf('/') + 1));
          firstDecision.countDown();
          return new QueueSnapshot(250, 0, 0);
        };
    ServiceScaler services =
        new ServiceScaler() {
          private int reads;

          @Override
          public ServiceSnapshot describe(ServiceRef service) {
            return new ServiceSnapshot(0, 0, 0);
          }

          @Override
          public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
            if (++reads > 1) {
              // A slow (paced) read: the first batch's targets decide meanwhile.
              try {
                firstDecision.await(5, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            events.add("read " + refs.size());
            return ServiceScaler.super.describeAll(refs);
          }

          @Override
          public void setDesiredCount(ServiceRef service, int count) {
            events.add("update " + service.service());
          }
        };

    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                parameters,
                queues,
                services,
                new InMemoryDecisionStore(),
                decision -> {},
                lines::add,
                log,
                Tracing.NONE,
                clock),
            4)) {
      CycleReport report = cycle.run(CycleRequest.ALL_TARGETS);

      assertThat(report.failed()).isFalse();
      assertThat(events)
          .filteredOn(e -> e.startsWith("read"))
          .containsExactly("read 10", "read 10");
      int secondRead = events.lastIndexOf("read 10");
      assertThat(events.subList(1, secondRead))
          .as("the first batch's targets decide before the second batch is read")
          .isNotEmpty()
          .allMatch(e -> e.startsWith("queue t0"));
      int lastDecision = lastQueueRead(events);
      assertThat(events.subList(lastDecision + 1, events.size()))
          .as("every target decides before the first acts: the round orders its updates")
          .hasSize(20)
          .allMatch(e -> e.startsWith("update "));
    }
  }

  private static int lastQueueRead(List<String> events) {
    int last = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith("queue ")) {
        last = i;
      }
    }
    return last;
  }
}
