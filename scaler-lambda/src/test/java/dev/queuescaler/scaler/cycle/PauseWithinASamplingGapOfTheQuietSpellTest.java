package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A pause is measured within a sampling gap either way (Pauses, docs/operating.md): a batch visible
 * from 0 to 20 s, the queue empty until a message arrives at 601 s; the target is idle by then (no
 * task), so with idle-check-seconds 60 (the schedule alone) the next read is the invocation's at
 * 660 s. A review found the docs claiming "never longer" than the real quiet spell; it can be up to
 * a minute longer for an idle target, and at most a sample shorter.
 */
class PauseWithinASamplingGapOfTheQuietSpellTest {

  private final Instant t0 = Instant.parse("2026-12-07T12:00:00Z");
  private final MutableClock clock = new MutableClock(t0);
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final AtomicInteger desired = new AtomicInteger();

  private long visible() {
    long s = Duration.between(t0, clock.instant()).toSeconds();
    return s < 20 || s >= 601 ? 5 : 0;
  }

  @Test
  void aPauseIsWithinASamplingGapOfTheQuietSpellItMeasures() {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "orders");
    keys.put("orders/scale-in-after-long-pauses", "true");
    keys.put("orders/idle-check-seconds", "60");
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
      for (int minute = 0; minute <= 11; minute++) {
        Instant invoked = t0.plusSeconds(60L * minute);
        clock.advanceTo(invoked);
        cycle.run(
            CycleRequest.ALL_TARGETS
                .by(Deadline.at(invoked.plusSeconds(90)))
                .within(Duration.ofMinutes(1)));
        if (minute == 9) {
          assertThat(desired.get()).as("idle before the message arrives").isZero();
        }
      }
    }

    Duration realQuietSpell = Duration.ofSeconds(601 - 20);
    assertThat(store.load(new TargetName("orders")).history().pauses().recent())
        .singleElement()
        .satisfies(
            pause ->
                assertThat(pause)
                    .isGreaterThanOrEqualTo(realQuietSpell.minusSeconds(15))
                    .isLessThanOrEqualTo(realQuietSpell.plusSeconds(60)));
  }
}
