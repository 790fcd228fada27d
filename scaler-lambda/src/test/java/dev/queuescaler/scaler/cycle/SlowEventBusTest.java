package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.Action;
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
import org.junit.jupiter.api.Test;

/**
 * EventBridge only reports decisions: a bus that answers each PutEvents call (ten decisions) at its
 * SDK call timeout costs the fleet no sample, keeps the cycle inside its deadline, and every
 * scaling decision's event is either sent or reported as not sent. Virtual time: each call moves
 * the clock by what it takes.
 */
class SlowEventBusTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<TargetOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<String> putEvents = Collections.synchronizedList(new ArrayList<>());

  /**
   * Each entry given to the bus: "t00@0 in a call at 0", its decision's second, then the call's.
   */
  private final List<String> entries = Collections.synchronizedList(new ArrayList<>());

  /** The deployed function: 100 s, less the spans' 2 s flush. */
  private final Instant deadline = start.plusSeconds(98);

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  private final ServiceScaler services =
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
      };

  /**
   * EventBridge, ten entries a call, each call failing at its timeout: the SDK's, or the shorter
   * one the cycle gives it ({@code within}, as {@code EventBridgeDecisionEvents} sets it). A call
   * is not started once that time has passed.
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
        for (int from = 0; from < decisions.size() && clock.instant().isBefore(by); from += 10) {
          putEvents.add("PutEvents@" + secondsIn());
          for (DecisionRecord decision :
              decisions.subList(from, Math.min(decisions.size(), from + 10))) {
            entries.add(
                decision.target()
                    + "@"
                    + Duration.between(start, decision.time()).toSeconds()
                    + " in a call at "
                    + secondsIn());
          }
          Duration left = Duration.between(clock.instant(), by);
          clock.advance(left.compareTo(perCall) < 0 ? left : perCall);
          for (int i = from; i < Math.min(decisions.size(), from + 10); i++) {
            results.add(Optional.of(new IllegalStateException("PutEvents: call timed out")));
          }
        }
        return results;
      }
    };
  }

  /** {@code targets} whose backlog keeps growing, sampled every 15 s: each sample scales out. */
  private CycleReport minute(int targets, Duration perPutEvents) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < targets; i++) {
      String name = String.format("t%02d", i);
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/policy", "backlog-per-task");
      keys.put(name + "/max-tasks", "1000");
      keys.put(name + "/sample-interval-seconds", "15");
    }
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                url -> new QueueSnapshot(50 + 20 * secondsIn(), 0, 0),
                services,
                new InMemoryDecisionStore(),
                bus(perPutEvents),
                outcome -> {
                  outcomes.add(outcome);
                  lines.add(outcome.decision().target() + "@" + secondsIn());
                },
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                clock::advanceTo),
            8,
            AwsClients.WORST_CALL)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS.by(Deadline.at(deadline)).within(Duration.ofMinutes(1)));
    }
  }

  private long scalingDecisions() {
    return outcomes.stream().filter(o -> o.decision().action() != Action.HOLD).count();
  }

  @Test
  void withABusThatAnswersEveryTargetIsSampledAtItsFourOffsets() {
    CycleReport report = minute(40, Duration.ZERO);

    assertThat(lines).contains("t00@0", "t00@15", "t00@30", "t00@45");
    assertThat(report.failures()).noneMatch(f -> f.contains("skipped"));
  }

  @Test
  void aRoundsEventsAreSentWhileTheCycleWaitsForTheNextRound() {
    minute(40, Duration.ZERO);

    assertThat(entries)
        .as("the first round's events, before the 15 s round; not after the last round")
        .contains("t00@0 in a call at 0", "t39@0 in a call at 0")
        .contains("t00@15 in a call at 15");
  }

  @Test
  void aBusAnsweringAtItsCallTimeoutCostsTheFleetNoSample() {
    CycleReport report = minute(40, AwsClients.CALL_TIMEOUT);

    assertThat(lines).contains("t00@0", "t00@15", "t00@30", "t00@45");
    assertThat(lines).contains("t39@0", "t39@15", "t39@30", "t39@45");
    assertThat(report.failures()).noneMatch(f -> f.contains("skipped"));
  }

  @Test
  void aBusAnsweringAtItsCallTimeoutDoesNotKeepABurstsCyclePastItsDeadline() {
    // A hundred targets scale out in every round: forty PutEvents calls' worth of events.
    minute(100, AwsClients.CALL_TIMEOUT);

    assertThat(clock.instant())
        .as("the cycle ends by its deadline, not after Lambda has killed it: " + putEvents)
        .isBeforeOrEqualTo(deadline);
  }

  @Test
  void aBusAnsweringAtItsCallTimeoutDoesNotKeepABurstsCycleIntoTheNextInvocation() {
    // Reserved concurrency 1: while this cycle runs, the schedule's next invocation, due a minute
    // after this one, is throttled and retried late, or dropped past its maximum event age.
    minute(100, AwsClients.CALL_TIMEOUT);

    assertThat(clock.instant())
        .as("the cycle ends before the next invocation is due: " + putEvents)
        .isBeforeOrEqualTo(start.plus(Duration.ofMinutes(1)));
  }

  @Test
  void everyScalingDecisionsEventIsSentOrReportedAsNotSent() {
    CycleReport report = minute(100, AwsClients.CALL_TIMEOUT);

    assertThat(report.failures().stream().filter(f -> f.contains(" done, its event not sent: ")))
        .as("one failure per scaling decision: the bus failed those it was given")
        .hasSize((int) scalingDecisions());
    assertThat(report.failures())
        .as("the first round's first ten went in the first call, which failed")
        .contains("t00: SCALE_OUT done, its event not sent: PutEvents: call timed out");
    assertThat(report.failures())
        .as(
            "the last round's events found no time left after the calls before them, which end"
                + " 5 s before the next invocation is due")
        .anyMatch(
            f ->
                f.startsWith("t99: SCALE_OUT done, its event not sent: no time left for it by ")
                    && f.contains(start.plusSeconds(55).toString())
                    && f.contains("PutEvents calls took it from " + start.plusSeconds(45)));
  }
}
