package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scale-ins that fall due together in the sample at 45 s of a 90 s invocation, at the production
 * per-call budget (20 s: an action starts no later than 48 s), with each update taking a second of
 * the update budget: only four start in time. A steady fleet whose stabilization windows end
 * together (targets that scaled out in the same minute) meets this every few minutes.
 */
class LastRoundScaleInsTest {

  private final PacedLastRound world =
      new PacedLastRound(
          (service, second) -> Set.of("woken-svc", "quiet-svc").contains(service) ? 0 : 5);

  private List<TargetOutcome> at45(CycleReport report) {
    return report.outcomes().stream()
        .filter(outcome -> !outcome.decision().time().isBefore(world.start.plusSeconds(45)))
        .toList();
  }

  @Test
  void followUpScaleInsTheUpdateBudgetCannotStartInTimeWaitForTheNextInvocation() {
    CycleReport report =
        world.invocation(
            List.of("a", "b", "c", "d", "e", "f"),
            Map.of("scale-in-stabilization-seconds", "0"),
            // Six targets at five tasks; their queues drain to one task's worth just before 45 s.
            second -> second >= 45 ? 10L : 50L);

    assertThat(world.updates)
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

  @Test
  void aQueueThatFilledSinceItsLastIdleCheckScalesOutAheadOfTheScaleInsDueWithIt() {
    CycleReport report =
        world.invocationOfQueues(
            List.of("a", "b", "c", "d", "e", "f", "woken"),
            Map.of("scale-in-stabilization-seconds", "0"),
            // The six drain as above; woken, at no task, was empty at its checks at 15 and 30 s
            // (idle-check-seconds' default) and holds 30 messages from 40 s.
            (name, second) ->
                name.equals("woken") ? (second >= 40 ? 30L : 0L) : second >= 45 ? 10L : 50L);

    assertThat(world.updates)
        .as("woken's scale-out from zero first, then the scale-ins that still start by 48 s")
        .containsExactly("woken-svc=3@46", "a-svc=1@47", "b-svc=1@48", "c-svc=1@49");
    assertThat(report.failures()).as("a steady minute fails nothing").isEmpty();
    assertThat(at45(report))
        .as("the scale-ins left out hold their count to the next first sample")
        .filteredOn(outcome -> outcome.decision().action() == Action.HOLD)
        .extracting(outcome -> outcome.decision().target(), outcome -> outcome.decision().reason())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("d", Reason.STABILIZING),
            org.assertj.core.groups.Tuple.tuple("e", Reason.STABILIZING),
            org.assertj.core.groups.Tuple.tuple("f", Reason.STABILIZING));
  }

  @Test
  void theScaleInsWaitForTheRoundsIdleReadsEvenWhenNoQueueFilled() {
    CycleReport report =
        world.invocationOfQueues(
            List.of("a", "b", "c", "d", "e", "f", "quiet"),
            Map.of("scale-in-stabilization-seconds", "0"),
            // quiet's read at 45 s stands for a fleet's 1,000 idle queues (2.5 s on the pool's
            // eight threads); it finds nothing.
            (name, second) -> {
              if (!name.equals("quiet")) {
                return second >= 45 ? 10L : 50L;
              }
              if (second >= 45) {
                world.clock.advance(Duration.ofMillis(2_500));
              }
              return 0L;
            });

    assertThat(world.updates)
        .as(
            "the price of the test above: the reads' time is not the scale-ins' (four without them)")
        .containsExactly("a-svc=1@48");
    assertThat(report.failures()).as("a steady minute fails nothing").isEmpty();
    assertThat(at45(report))
        .as("the others hold their count to the next invocation's first sample, 15 s on")
        .filteredOn(outcome -> outcome.decision().reason() == Reason.STABILIZING)
        .extracting(outcome -> outcome.decision().target())
        .containsExactly("b", "c", "d", "e", "f");
  }

  @Test
  void aScaleInTheDeadlineLeftOutBeforeActsFirstEvenWhenIdleQueuesAreRead() {
    WaitingTargets waiting = WaitingTargets.inMemory();
    waiting.save(Map.of(new TargetName("a"), 1));
    PacedLastRound round =
        new PacedLastRound((service, second) -> service.equals("quiet-svc") ? 0 : 5, waiting);

    round.invocationOfQueues(
        List.of("a", "s1", "s2", "s3", "s4", "quiet"),
        Map.of("scale-in-stabilization-seconds", "0"),
        // a, left out by the last cycle's deadline, drains at 45 s; s1-s4 fill; quiet stays empty.
        (name, second) -> {
          if (name.equals("quiet")) {
            return 0L;
          }
          if (name.equals("a")) {
            return second >= 45 ? 10L : 50L;
          }
          return second >= 45 ? 100L : 50L;
        });

    assertThat(round.updates)
        .as("a's scale-in first, as UpdateUrgency orders a target that waited, then the scale-outs")
        .startsWith("a-svc=1@46", "s1-svc=10@47");
  }
}
