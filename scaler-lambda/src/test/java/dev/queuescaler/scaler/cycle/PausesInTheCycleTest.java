package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The pauses of scale-in-after-long-pauses as the Lambda's cycle measures them: a target whose
 * queue holds five messages while {@code busyAt} the second since the start, run by the scheduled
 * invocations a minute apart (and, where a test says so, an idle check), its state in memory.
 */
class PausesInTheCycleTest {

  private final Instant t0 = Instant.parse("2026-12-07T12:00:00Z");
  private final MutableClock clock = new MutableClock(t0);
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final AtomicInteger desired = new AtomicInteger();

  /** What a minute's invocation is followed by, before the next: an idle check, or nothing. */
  private interface AfterInvocation {
    void run(ScalingCycle cycle, int minute, Instant invoked);
  }

  /**
   * A batch visible from 0 to 20 s, eleven quiet minutes, then a batch visible from 680 s to 750 s
   * (one busy spell) that a check at 687 s (the minute's only check offset) wakes; the next sample
   * is the scheduled invocation's at 720 s, 33 s later. One pause happened (about 11 minutes); a
   * review found two recorded (a gap over 30 s between two samples that saw messages counted as a
   * pause).
   */
  @Test
  void aSpellWokenByAnIdleCheckIsOnePauseNotTwo() {
    runMinutes(
        "27",
        s -> s < 20 || (s >= 680 && s < 750),
        12,
        (cycle, minute, invoked) -> {
          if (minute != 11) {
            return;
          }
          assertThat(desired.get()).as("idle by the eleventh minute").isZero();
          clock.advanceTo(invoked.plusSeconds(27));
          cycle.check(
              List.of(
                  new IdleCheck(
                      invoked,
                      Duration.ofSeconds(27),
                      List.of(
                          new IdleCheck.Target(
                              new TargetName("orders"),
                              "https://sqs.local/0/orders",
                              BacklogRules.DEFAULTS)))),
              Deadline.at(clock.instant().plusSeconds(88)),
              Duration.ofMinutes(1));
          assertThat(desired.get()).as("woken by the check").isEqualTo(1);
        });

    assertThat(pauses()).as("one quiet spell between the two batches").hasSize(1);
  }

  /**
   * A pause is measured within a sampling gap either way (Pauses, docs/operating.md): a batch
   * visible from 0 to 20 s, the queue empty until a message arrives at 601 s; the target is idle by
   * then (no task), so with idle-check-seconds 60 (the schedule alone) the next read is the
   * invocation's at 660 s. A review found the docs claiming "never longer" than the real quiet
   * spell; it can be up to a minute longer for an idle target, and at most a sample shorter.
   */
  @Test
  void aPauseIsWithinASamplingGapOfTheQuietSpellItMeasures() {
    runMinutes(
        "60",
        s -> s < 20 || s >= 601,
        11,
        (cycle, minute, invoked) -> {
          if (minute == 9) {
            assertThat(desired.get()).as("idle before the message arrives").isZero();
          }
        });

    Duration realQuietSpell = Duration.ofSeconds(601 - 20);
    assertThat(pauses())
        .singleElement()
        .satisfies(
            pause ->
                assertThat(pause)
                    .isGreaterThanOrEqualTo(realQuietSpell.minusSeconds(15))
                    .isLessThanOrEqualTo(realQuietSpell.plusSeconds(60)));
  }

  /** Runs the scheduled invocations of minutes 0 to {@code lastMinute}, the key on. */
  private void runMinutes(
      String idleCheckSeconds, LongPredicate busyAt, int lastMinute, AfterInvocation after) {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/scale-in-after-long-pauses", "true");
    keys.put("orders/idle-check-seconds", idleCheckSeconds);
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            return new ServiceSnapshot(desired.get(), desired.get(), 0);
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {
            desired.set(count);
          }
        };
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(keys),
                url ->
                    new QueueSnapshot(
                        busyAt.test(Duration.between(t0, clock.instant()).toSeconds()) ? 5 : 0,
                        0,
                        0),
                services,
                store,
                outcome -> {},
                clock),
            1)) {
      for (int minute = 0; minute <= lastMinute; minute++) {
        Instant invoked = t0.plusSeconds(60L * minute);
        clock.advanceTo(invoked);
        cycle.run(
            CycleRequest.ALL_TARGETS
                .by(Deadline.at(invoked.plusSeconds(90)))
                .within(Duration.ofMinutes(1)));
        after.run(cycle, minute, invoked);
      }
    }
  }

  private List<Duration> pauses() {
    return store.load(new TargetName("orders")).history().pauses().recent();
  }
}
