package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PausesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0, 0);
  private static final QueueSnapshot VISIBLE = new QueueSnapshot(3, 0, 0);
  private static final QueueSnapshot IN_FLIGHT = new QueueSnapshot(0, 2, 0);
  private static final Duration FIVE_MINUTES = Duration.ofSeconds(300);

  @Test
  void aPauseRunsFromTheFirstEmptyReadToTheNextReadThatSawMessages() {
    Pauses pauses =
        Pauses.NONE
            .after(T0, VISIBLE)
            .after(at(15), EMPTY)
            .after(at(60), EMPTY)
            .after(at(400), IN_FLIGHT);

    assertThat(pauses.recent()).containsExactly(Duration.ofSeconds(385));
    assertThat(pauses.quietSince()).isEmpty();
  }

  @Test
  void samplesThatSawMessagesWithNoneEmptyBetweenAreOneBusySpellHoweverFarApart() {
    // An idle check at 27 s wakes the target; the next invocation samples it 33 s later. A check
    // that found the queue still idle stores nothing, so no stored sample between says "empty".
    Pauses busy = Pauses.NONE.after(T0, EMPTY).after(at(27), VISIBLE);

    assertThat(busy.after(at(60), VISIBLE)).isSameAs(busy);
    assertThat(busy.after(at(180), IN_FLIGHT)).isSameAs(busy);
    assertThat(busy.recent()).containsExactly(Duration.ofSeconds(27));
  }

  @Test
  void onlyTheFirstEmptyReadAndTheFirstBusyOneChangeAnything() {
    // So a target whose reads stay on one side writes nothing more for its pauses.
    Pauses quiet = Pauses.NONE.after(T0, VISIBLE).after(at(15), new QueueSnapshot(0, 0, 50));

    assertThat(quiet).isEqualTo(new Pauses(Optional.of(at(15)), List.of()));
    assertThat(quiet.after(at(30), EMPTY)).as("delayed messages are not work").isSameAs(quiet);
    assertThat(Pauses.NONE.after(T0, VISIBLE)).isSameAs(Pauses.NONE);
  }

  @Test
  void onlyTheNewestThreeAreKept() {
    Pauses pauses = Pauses.NONE;
    long second = 0;
    for (long gap : new long[] {100, 200, 400, 800}) {
      pauses = pauses.after(at(second), EMPTY);
      second += gap;
      pauses = pauses.after(at(second), VISIBLE);
    }

    assertThat(pauses.recent())
        .containsExactly(Duration.ofSeconds(200), Duration.ofSeconds(400), Duration.ofSeconds(800));
  }

  @Test
  void twoOfTheLastThreeLongerThanWhatIsHeldMakeAPattern() {
    assertThat(pauses(400, 60, 301).mostlyLongerThan(FIVE_MINUTES)).isTrue();
    assertThat(pauses(400, 60, 300).mostlyLongerThan(FIVE_MINUTES)).isFalse();
    assertThat(pauses(60, 90, 4_000).mostlyLongerThan(FIVE_MINUTES)).isFalse();
  }

  @Test
  void fewerThanThreeKnownPausesAreNoPattern() {
    assertThat(pauses(4_000, 4_000).mostlyLongerThan(FIVE_MINUTES)).isFalse();
    assertThat(Pauses.NONE.mostlyLongerThan(Duration.ZERO)).isFalse();
  }

  @Test
  void aPauseThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new Pauses(Optional.empty(), List.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }

  @Test
  void aClockBehindTheWriterOfTheQuietSpellMakesNoPause() {
    Pauses pauses = Pauses.NONE.after(T0, EMPTY).after(T0.minusSeconds(600), VISIBLE);

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.quietSince()).isEmpty();
  }

  @Test
  void aGapUnderASecondIsNoPause() {
    // What a fast writer's quietSince becomes once read as just before now.
    Pauses pauses = Pauses.NONE.after(T0, EMPTY).after(T0.plusMillis(1), VISIBLE);

    assertThat(pauses.recent()).isEmpty();
  }

  static Pauses pauses(long... seconds) {
    return new Pauses(
        Optional.empty(), Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  private static Instant at(long second) {
    return T0.plusSeconds(second);
  }
}
