package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachedParameterSourceTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final Map<String, String> stored = new HashMap<>(Map.of("orders/max-tasks", "2"));
  private int reads;
  private Optional<Instant> lastChange = Optional.empty();
  private boolean changesUnreadable;

  private final ParameterSource ssm =
      new ParameterSource() {
        @Override
        public Map<String, String> readAll() {
          reads++;
          return Map.copyOf(stored);
        }

        @Override
        public String describe() {
          return "/queue-scaler";
        }
      };

  private final ParameterChanges changes =
      new ParameterChanges() {
        @Override
        public Optional<Instant> lastChange() {
          if (changesUnreadable) {
            throw new IllegalStateException("GetItem failed");
          }
          return lastChange;
        }

        @Override
        public void recordChange(Instant at) {
          lastChange = Optional.of(at);
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
    changes.recordChange(clock.instant());
    clock.advance(Duration.ofSeconds(50));

    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "4");
    assertThat(cached.readAll()).containsEntry("orders/max-tasks", "4");
    assertThat(reads).as("once for the change, then cached again").isEqualTo(2);
  }

  @Test
  void aChangeRecordedAtTheInstantOfTheReadIsReadAgain() {
    cached.readAll();
    changes.recordChange(clock.instant());

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
}
