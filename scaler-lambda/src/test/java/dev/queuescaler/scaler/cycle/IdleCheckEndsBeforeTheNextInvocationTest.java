package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * deploy.md: "The last check is due 10 s before the next invocation at the latest, and a check that
 * arrives within 6 s of it reads nothing, so a check never holds the lease the next invocation
 * needs"; ScalingCycle: "A check ends within a second or two". The function runs one invocation at
 * a time (reserved concurrency 1): a check still running when the minute's tick comes holds the
 * tick back (throttled, dropped after its 60 s maximum age).
 */
class IdleCheckEndsBeforeTheNextInvocationTest {

  @Test
  void aCheckAtFortyFiveSecondsActsNoLaterThanTheNextInvocation() {
    // Twenty idle targets whose queues filled before the check at 45 s (a fleet-wide burst), each
    // update a second of the clock (the update pacer's slot).
    PacedLastRound world = new PacedLastRound((service, second) -> 0);
    List<String> names = IntStream.range(0, 20).mapToObj(i -> "t" + i).toList();

    CycleReport report = world.check(names, Duration.ofSeconds(45), Map.of(), second -> 100L);

    assertThat(world.updates).as("the check scaled its targets out").isNotEmpty();
    assertThat(world.updates)
        .as("every update of the check before the next invocation, due at 60 s")
        .allSatisfy(
            update ->
                assertThat(Long.parseLong(update.substring(update.indexOf('@') + 1)))
                    .isLessThan(60));
    assertThat(report.failures())
        .as("what does not fit waits for the next invocation, no failure (alarm, dead letter)")
        .isEmpty();
  }

  @Test
  void aCheckThatCouldNotDecideAFilledQueueReadsNothingRatherThanFailing() {
    // A check at 54.5 s, inside the 5 s before the next invocation but past the last moment a
    // filled queue can still be sampled (54 s), leaves its targets to that invocation.
    PacedLastRound late = new PacedLastRound((service, second) -> 0);
    AtomicInteger lateReads = new AtomicInteger();

    CycleReport lateReport =
        late.check(
            List.of("late"),
            Duration.ofMillis(54_500),
            Map.of(),
            second -> {
              lateReads.incrementAndGet();
              return 100L;
            });

    assertThat(lateReport.failures()).as("nothing failed").isEmpty();
    assertThat(lateReads).as("no queue read").hasValue(0);
    assertThat(late.updates).as("left to the next invocation").isEmpty();

    // Just before that moment the check reads and decides its filled queue.
    PacedLastRound inTime = new PacedLastRound((service, second) -> 0);
    CycleReport inTimeReport =
        inTime.check(List.of("early"), Duration.ofMillis(53_500), Map.of(), second -> 100L);

    assertThat(inTimeReport.failures()).as("nothing failed").isEmpty();
    assertThat(inTime.updates).as("scaled out by the check").isNotEmpty();
  }

  @Test
  void aCheckWhoseReadsRunPastItsLastSampleLeavesTheQueueToTheNextInvocationWithoutFailing() {
    // A check at 53.5 s in time to read, whose GetQueueAttributes takes a second: the filled
    // queue can no longer be sampled (from 54 s), so the next invocation decides it.
    PacedLastRound world = new PacedLastRound((service, second) -> 0);

    CycleReport report =
        world.check(
            List.of("slow"),
            Duration.ofMillis(53_500),
            Map.of(),
            second -> {
              world.clock.advance(Duration.ofSeconds(1));
              return 100L;
            });

    assertThat(world.updates).as("nothing scaled").isEmpty();
    assertThat(report.failures()).as("no failure, no alarm, no dead letter").isEmpty();
  }
}
