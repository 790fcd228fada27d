package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachedParameterSourceTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final Map<String, String> stored = new HashMap<>(Map.of("orders/max-tasks", "2"));
  private int reads;
  private final List<TargetName> targetReads = new ArrayList<>();
  private Optional<Instant> wholeChange = Optional.empty();
  private final Map<TargetName, Instant> targetChanges = new HashMap<>();
  private boolean changesUnreadable;
  private Optional<TargetName> unreadableTarget = Optional.empty();
  private int targetReadsBeforeFailing = Integer.MAX_VALUE;

  private final ParameterSource ssm =
      new ParameterSource() {
        @Override
        public Map<String, String> readAll() {
          reads++;
          return Map.copyOf(stored);
        }

        @Override
        public Map<String, String> readTarget(TargetName target) {
          if (unreadableTarget.filter(target::equals).isPresent()
              || targetReads.size() >= targetReadsBeforeFailing) {
            throw new IllegalStateException("GetParametersByPath on " + target + " throttled");
          }
          targetReads.add(target);
          Map<String, String> mine = new HashMap<>();
          stored.forEach(
              (name, value) -> {
                if (name.startsWith(target.value() + "/")) {
                  mine.put(name, value);
                }
              });
          return mine;
        }

        @Override
        public String describe() {
          return "/queue-scaler";
        }
      };

  private final ParameterChanges changes =
      new ParameterChanges() {
        @Override
        public Recorded recorded() {
          if (changesUnreadable) {
            throw new IllegalStateException("GetItem failed");
          }
          return new Recorded(wholeChange, targetChanges);
        }

        @Override
        public void recordChange(Instant at, Optional<TargetName> target) {
          if (target.isPresent()) {
            targetChanges.put(target.get(), at);
          } else {
            wholeChange = Optional.of(at);
          }
        }
      };

  private final CachedParameterSource cached =
      new CachedParameterSource(ssm, changes, clock, Duration.ofMinutes(5));

  @Test
  void withoutAChangeTheLastReadServesTheNextCycles() {
    cached.readAll();
    stored.put("orders/max-tasks", "4");
    clock.advance(Duration.ofSeconds(60));

    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "2");
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void aRecordedChangeIsReadOnTheNextCycle() {
    cached.readAll();
    stored.put("orders/max-tasks", "4");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.empty());
    clock.advance(Duration.ofSeconds(50));

    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "4");
    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "4");
    assertThat(reads).as("once for the change, then cached again").isEqualTo(2);
  }

  @Test
  void aChangeRecordedAtTheInstantOfTheReadIsReadAgain() {
    cached.readAll();
    changes.recordChange(clock.instant(), Optional.empty());

    cached.readAll();

    assertThat(reads).isEqualTo(2);
  }

  @Test
  void aLostChangeEventDelaysAChangeByAtMostTheMaximumAge() {
    cached.readAll();
    stored.put("orders/max-tasks", "4");

    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "2");
    clock.advance(Duration.ofSeconds(1));
    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "4");
  }

  @Test
  void anUnreadableChangeRecordCountsAsAChange() {
    cached.readAll();
    changesUnreadable = true;

    cached.readAll();

    assertThat(reads).isEqualTo(2);
  }

  private static final TargetName ORDERS = new TargetName("orders");

  @Test
  void aChangeToOneTargetReadsOnlyThatTargetsPathAgain() {
    stored.put("billing/max-tasks", "7");
    cached.readAll();
    stored.put("orders/max-tasks", "4");
    stored.put("billing/max-tasks", "8");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    clock.advance(Duration.ofSeconds(50));

    Map<String, String> read = cached.readAll();
    cached.readAll();

    assertThat(read)
        .containsEntry("orders/max-tasks", "4")
        .as("billing's change had no event yet")
        .containsEntry("billing/max-tasks", "7");
    assertThat(reads).as("the whole prefix once").isEqualTo(1);
    assertThat(targetReads).as("orders' path once, then cached").containsExactly(ORDERS);
  }

  @Test
  void aDeletedParameterOfAChangedTargetIsGoneAndANewTargetAppears() {
    stored.put("orders/backlog-per-task", "50");
    cached.readAll();
    stored.remove("orders/backlog-per-task");
    stored.put("fresh/queue-url", "https://sqs.local/0/fresh");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    changes.recordChange(clock.instant(), Optional.of(new TargetName("fresh")));

    Map<String, String> read = cached.readAll();

    assertThat(read)
        .doesNotContainKey("orders/backlog-per-task")
        .containsEntry("orders/max-tasks", "2")
        .containsEntry("fresh/queue-url", "https://sqs.local/0/fresh");
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void aTargetsChangeRecordedBeforeTheWholeReadIsNotReadAgain() {
    changes.recordChange(clock.instant().minusSeconds(1), Optional.of(ORDERS));
    cached.readAll();
    clock.advance(Duration.ofSeconds(60));

    cached.readAll();

    assertThat(targetReads).isEmpty();
  }

  @Test
  void aWholeReadForgetsTheTargetsReadSinceAndStartsAgain() {
    cached.readAll();
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    cached.readAll();
    clock.advance(Duration.ofMinutes(5));
    cached.readAll();
    clock.advance(Duration.ofSeconds(10));

    cached.readAll();

    assertThat(reads).as("the first, then the one at five minutes").isEqualTo(2);
    assertThat(targetReads).as("orders' change predates the second whole read").hasSize(1);
  }

  private static final TargetName BILLING = new TargetName("billing");

  @Test
  void aFailedReReadOfOneTargetFailsNeitherTheReadNorAnotherTargetsChange() {
    stored.put("billing/max-tasks", "7");
    cached.readAll();
    stored.put("orders/enabled", "false");
    stored.put("billing/max-tasks", "8");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    changes.recordChange(clock.instant(), Optional.of(BILLING));
    unreadableTarget = Optional.of(BILLING);
    clock.advance(Duration.ofSeconds(50));

    Map<String, String> read = cached.readAll();

    assertThat(read)
        .containsEntry("orders/enabled", "false")
        .as("billing keeps the values read before")
        .containsEntry("billing/max-tasks", "7");
  }

  @Test
  void aChangeReadInTheCycleOfAnotherTargetsFailedReReadIsNeverLost() {
    stored.put("billing/max-tasks", "7");
    cached.readAll();
    stored.put("orders/enabled", "false");
    stored.put("billing/max-tasks", "8");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    changes.recordChange(clock.instant(), Optional.of(BILLING));
    // Whichever of the two is read second fails, once.
    targetReadsBeforeFailing = 1;
    clock.advance(Duration.ofSeconds(50));
    try {
      cached.readAll();
    } catch (RuntimeException failedWhole) {
      // how it failed before: the whole read; what matters is the next one
    }
    targetReadsBeforeFailing = Integer.MAX_VALUE;
    clock.advance(Duration.ofSeconds(60));

    assertThat(cached.readAll())
        .containsEntry("orders/enabled", "false")
        .containsEntry("billing/max-tasks", "8");
    assertThat(reads).as("no whole read needed").isEqualTo(1);
  }
}
