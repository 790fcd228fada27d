package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteadyClockTest {

  private final MutableClock wall = new MutableClock(Instant.parse("2026-12-08T01:00:00Z"));
  private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
  private final SteadyClock clock = new SteadyClock(wall, nanos::get);

  @Test
  void startsAtTheWallClocksInstant() {
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-08T01:00:00Z"));
  }

  @Test
  void movesOnAsTimePassesNotAsTheWallClockIsStepped() {
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    wall.advance(Duration.ofHours(1));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-08T01:00:03Z"));
  }

  @Test
  void aWallClockSteppedBackDoesNotTakeItBack() {
    wall.advance(Duration.ofMinutes(-1));
    nanos.addAndGet(Duration.ofMillis(1_500).toNanos());

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-08T01:00:01.500Z"));
  }
}
