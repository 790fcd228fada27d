package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reason an event not sent gives names what ran out: the cycle's time, or the bus's. */
class AnnouncementsTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<String> calls = new ArrayList<>();

  private static TargetOutcome scaledOut(String target, Instant at) {
    return TargetOutcome.ofCompleted(
        new DecisionRecord(
            target,
            Optional.empty(),
            Optional.of(100L),
            Optional.empty(),
            Optional.of(3),
            Optional.of(3),
            Action.SCALE_OUT,
            Reason.BACKLOG,
            false,
            List.of(),
            at),
        0,
        0);
  }

  /** A bus that takes every entry at once. */
  private final DecisionEvents healthyBus = decision -> calls.add(decision.target());

  @Test
  void eventsLeftWhenTheCyclesOtherWorkRanPastTheirEndDoNotBlameTheBus() {
    Announcements announcements = new Announcements(healthyBus, OperatorLog.NONE, clock);
    announcements.add(List.of(scaledOut("t00", start.plusSeconds(45))));
    Instant end = start.plusSeconds(55);
    clock.advanceTo(start.plusSeconds(57)); // slow ECS and DynamoDB: the rounds ended late

    List<String> failures = new ArrayList<>(announcements.sendUntil(end));
    failures.addAll(announcements.notSent(end));

    assertThat(calls).isEmpty();
    assertThat(failures)
        .singleElement()
        .asString()
        .startsWith("t00: SCALE_OUT done, its event not sent: no time left for it by " + end)
        .doesNotContain("bus");
  }
}
