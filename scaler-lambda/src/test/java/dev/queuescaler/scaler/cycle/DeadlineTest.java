package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration CALL = Duration.ofSeconds(20);

  @Test
  void aStepStartsNoLaterThanTheLastStartItIsGiven() {
    Deadline capped =
        Deadline.at(T0.plusSeconds(133)).startingNothingAfter(T0.plusSeconds(55), 2, CALL);

    assertThat(capped.allows(T0.plusSeconds(55), 2, CALL)).isTrue();
    assertThat(capped.allows(T0.plusSeconds(55).plusMillis(1), 2, CALL)).isFalse();
  }

  @Test
  void anEarlierDeadlineStaysWhereItIs() {
    Deadline end = Deadline.at(T0.plusSeconds(60));

    assertThat(end.startingNothingAfter(T0.plusSeconds(55), 2, CALL)).isEqualTo(end);
  }

  @Test
  void withoutADeadlineTheLastStartGivesOne() {
    assertThat(Deadline.NONE.startingNothingAfter(T0, 2, CALL).at())
        .contains(T0.plus(CALL.multipliedBy(2)).plus(Deadline.MARGIN));
  }
}
