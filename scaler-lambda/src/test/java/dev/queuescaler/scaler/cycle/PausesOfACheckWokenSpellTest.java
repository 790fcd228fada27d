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
import org.junit.jupiter.api.Test;

/**
 * The Lambda's cycle with idle-check-seconds 27: a batch visible from 0 to 20 s, eleven quiet
 * minutes, then a batch visible from 680 s to 750 s (one busy spell) that a check at 687 s (the
 * minute's only check offset) wakes; the next sample is the scheduled invocation's at 720 s, 33 s
 * later. One pause happened (about 11 minutes); a review found two recorded (a gap over 30 s
 * between two samples that saw messages counted as a pause).
 */
class PausesOfACheckWokenSpellTest {

  private final Instant t0 = Instant.parse("2026-12-07T12:00:00Z");
  private final MutableClock clock = new MutableClock(t0);
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final AtomicInteger desired = new AtomicInteger();

  private long second() {
    return Duration.between(t0, clock.instant()).toSeconds();
  }

  private long visible() {
    long s = second();
    return s < 20 || (s >= 680 && s < 750) ? 5 : 0;
  }

  @Test
  void aSpellWokenByAnIdleCheckIsOnePauseNotTwo() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/scale-in-after-long-pauses", "true");
    keys.put("orders/idle-check-seconds", "27");
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
                url -> new QueueSnapshot(visible(), 0, 0),
                services,
                store,
                outcome -> {},
                clock),
            1)) {
      for (int minute = 0; minute <= 12; minute++) {
        Instant invoked = t0.plusSeconds(60L * minute);
        clock.advanceTo(invoked);
        cycle.run(
            CycleRequest.ALL_TARGETS
                .by(Deadline.at(invoked.plusSeconds(90)))
                .within(Duration.ofMinutes(1)));
        if (minute == 11) {
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
        }
      }
    }

    assertThat(store.load(new TargetName("orders")).history().pauses().recent())
        .as("one quiet spell between the two batches")
        .hasSize(1);
  }
}
