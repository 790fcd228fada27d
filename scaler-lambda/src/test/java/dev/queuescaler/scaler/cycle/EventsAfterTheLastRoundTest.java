package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The events of the cycle's last acting: the scheduled cycle's 45 s round, or an idle check's
 * scale-outs. A healthy bus gets them out even when the acting ran to the last moment an action may
 * start (55 s of the deployed function's 98 s); a bus slow to its call timeout still cannot keep
 * the function running into the next invocation by more than a few seconds. Virtual time: each
 * update and each PutEvents call moves the clock by what it takes.
 */
class EventsAfterTheLastRoundTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<TargetOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> updates = Collections.synchronizedList(new ArrayList<>());

  /** The deployed function: 100 s, less the spans' 2 s flush. */
  private static final Duration FUNCTION = Duration.ofSeconds(98);

  /** The events the bus took. */
  private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

  private long millisIn() {
    return Duration.between(start, clock.instant()).toMillis();
  }

  /**
   * UpdateService as its pacer lets it through (docs/fleet.md): a burst of 25 at once, then one
   * each 0.4 s (2.5 a second).
   */
  private final ServiceScaler pacedServices =
      new ServiceScaler() {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          int count = desired.getOrDefault(ref.service(), 5);
          return new ServiceSnapshot(count, count, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          if (calls.incrementAndGet() > 25) {
            clock.advance(Duration.ofMillis(400));
          }
          desired.put(ref.service(), count);
          updates.add(ref.service() + "=" + count + "@" + millisIn());
        }
      };

  /**
   * EventBridge, ten entries a call: answering at once ({@code perCall} zero), or failing each call
   * at its timeout, {@code perCall} or the shorter time the cycle gives it ({@code within}, as
   * {@code EventBridgeDecisionEvents} bounds each call); no call starts with less than a second
   * left (its SHORTEST_CALL).
   */
  private DecisionEvents bus(Duration perCall) {
    return new DecisionEvents() {
      @Override
      public void publish(DecisionRecord decision) {
        throw new UnsupportedOperationException("ten to a call");
      }

      @Override
      public List<Optional<RuntimeException>> publishAll(List<DecisionRecord> decisions) {
        return publishAll(decisions, Duration.ofDays(1));
      }

      @Override
      public List<Optional<RuntimeException>> publishAll(
          List<DecisionRecord> decisions, Duration within) {
        Instant by = clock.instant().plus(within);
        List<Optional<RuntimeException>> results = new ArrayList<>();
        for (int from = 0;
            from < decisions.size()
                && Duration.between(clock.instant(), by).compareTo(Duration.ofSeconds(1)) >= 0;
            from += 10) {
          Duration left = Duration.between(clock.instant(), by);
          boolean timedOut = !perCall.isZero();
          clock.advance(left.compareTo(perCall) < 0 ? left : perCall);
          for (int i = from; i < Math.min(decisions.size(), from + 10); i++) {
            if (timedOut) {
              results.add(Optional.of(new IllegalStateException("PutEvents: call timed out")));
            } else {
              sent.add(decisions.get(i).target());
              results.add(Optional.empty());
            }
          }
        }
        return results;
      }
    };
  }

  private ScalingCycle cycle(
      List<String> names, LongFunction<Long> visible, ServiceScaler services, DecisionEvents bus) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : names) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/sample-interval-seconds", "15");
      keys.put(name + "/scale-in-stabilization-seconds", "0");
    }
    return new ScalingCycle(
        new ScalingCycle.Ports(
            FixedParameters.of(keys),
            url -> new QueueSnapshot(visible.apply(millisIn() / 1000), 0, 0),
            services,
            new InMemoryDecisionStore(),
            bus,
            outcomes::add,
            OperatorLog.NONE,
            Tracing.NONE,
            clock,
            clock::advanceTo),
        8,
        AwsClients.WORST_CALL);
  }

  private static List<String> targets(int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("t%02d", i)).toList();
  }

  private long scalingDecisions() {
    return outcomes.stream().filter(o -> o.decision().action() != Action.HOLD).count();
  }

  @Test
  void aHealthyBusGetsOutTheEventsOfALastRoundThatActedUntilTheLastMomentToStart() {
    // docs/fleet.md's steady fleet: 50 targets at five tasks whose queues drain to one task's
    // worth just before 45 s; their scale-ins wait for the UpdateService pacer until about 55 s.
    CycleReport report;
    try (ScalingCycle cycle =
        cycle(targets(50), second -> second >= 45 ? 10L : 50L, pacedServices, bus(Duration.ZERO))) {
      report =
          cycle.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(start.plus(FUNCTION)))
                  .within(Duration.ofMinutes(1)));
    }

    assertThat(updates).as("the round scaled all fifty in").hasSize(50);
    // The latest by the virtual clock, not the last appended: eight threads append in the order
    // the machine runs them, and one that read the clock early can append after the others.
    assertThat(updates.stream().mapToLong(u -> Long.parseLong(u.substring(u.indexOf('@') + 1))))
        .as("the last update ends at 55 s, the round's last moment to start one")
        .contains(55_000L)
        .allMatch(millis -> millis <= 55_000L);
    assertThat(report.failures())
        .as("the bus answers at once: no event is left unsent")
        .noneMatch(f -> f.contains("its event not sent"));
    assertThat(report.failed()).as("a healthy minute fails nothing").isFalse();
    assertThat(sent).hasSize((int) scalingDecisions()).contains("t00", "t49");
  }

  @Test
  void aSlowBusAfterALastRoundThatActedUntilTheLastMomentEndsWithinSecondsOfIt() {
    CycleReport report;
    try (ScalingCycle cycle =
        cycle(
            targets(50),
            second -> second >= 45 ? 10L : 50L,
            pacedServices,
            bus(AwsClients.CALL_TIMEOUT))) {
      report =
          cycle.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(start.plus(FUNCTION)))
                  .within(Duration.ofMinutes(1)));
    }

    assertThat(clock.instant())
        .as("the events' tail is a few seconds past the last acting, not a call timeout")
        .isBeforeOrEqualTo(start.plusSeconds(58));
    assertThat(report.failures())
        .as("each scale-in's event is reported: the slow bus failed it, or left it no time")
        .filteredOn(f -> f.contains(": SCALE_IN done, its event not sent: "))
        .hasSize(50);
  }

  @Test
  void aLateChecksEventsEndBeforeTheNextScheduledInvocation() {
    // A check due at 50 s of the minute, with its own 98 s: twenty idle targets at no task whose
    // queues filled; the bus answers each call at its timeout.
    List<String> names = targets(20);
    CycleReport report;
    try (ScalingCycle cycle =
        cycle(
            names,
            second -> 100L,
            new ServiceScaler() {
              @Override
              public ServiceSnapshot describe(ServiceRef ref) {
                int count = desired.getOrDefault(ref.service(), 0);
                return new ServiceSnapshot(count, count, 0);
              }

              @Override
              public void setDesiredCount(ServiceRef ref, int count) {
                desired.put(ref.service(), count);
              }
            },
            bus(AwsClients.CALL_TIMEOUT))) {
      clock.advanceTo(start.plusSeconds(50));
      IdleCheck check =
          new IdleCheck(
              start,
              Duration.ofSeconds(50),
              names.stream()
                  .map(
                      name ->
                          new IdleCheck.Target(
                              new TargetName(name),
                              "https://sqs.local/0/" + name,
                              BacklogRules.DEFAULTS))
                  .toList());
      report =
          cycle.check(
              List.of(check), Deadline.at(clock.instant().plus(FUNCTION)), Duration.ofMinutes(1));
    }

    assertThat(scalingDecisions()).as("the check scaled its targets out").isEqualTo(20);
    assertThat(clock.instant())
        .as("the check ends before the next scheduled invocation, due at 60 s")
        .isBeforeOrEqualTo(start.plusSeconds(60));
    assertThat(report.failures())
        .as("the events the slow bus did not take are reported as not sent")
        .filteredOn(f -> f.contains(": SCALE_OUT done, its event not sent: "))
        .hasSize(20);
  }
}
