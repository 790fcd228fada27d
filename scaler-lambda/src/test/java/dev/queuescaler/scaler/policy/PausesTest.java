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
  void aPauseRunsFromOneSampleThatSawMessagesToTheNext() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE).after(at(400), IN_FLIGHT);

    assertThat(pauses.recent()).containsExactly(Duration.ofSeconds(400));
    assertThat(pauses.lastBusy()).contains(at(400));
  }

  @Test
  void samplesThatSeeNoMessageChangeNothing() {
    Pauses busy = Pauses.NONE.after(T0, VISIBLE);

    assertThat(busy.after(at(60), EMPTY)).isSameAs(busy);
    // Delayed messages are not work yet.
    assertThat(busy.after(at(120), new QueueSnapshot(0, 0, 50))).isSameAs(busy);
  }

  @Test
  void theSamplesOfOneBusySpellMakeNoPause() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE).after(at(15), VISIBLE).after(at(30), IN_FLIGHT);

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.after(at(61), VISIBLE).recent()).containsExactly(Duration.ofSeconds(31));
  }

  @Test
  void onlyTheNewestThreeAreKept() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE);
    long[] gaps = {100, 200, 400, 800};
    long second = 0;
    for (long gap : gaps) {
      second += gap;
      pauses = pauses.after(at(second), VISIBLE);
    }

    assertThat(pauses.recent())
        .containsExactly(Duration.ofSeconds(200), Duration.ofSeconds(400), Duration.ofSeconds(800));
  }

  @Test
  void twoOfTheLastThreeLongerThanTheDelayMakeAPattern() {
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
  void aPauseOfThirtySecondsOrLessIsRefused() {
    assertThatThrownBy(() -> new Pauses(Optional.empty(), List.of(Duration.ofSeconds(30))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 30 s");
  }

  @Test
  void aClockBehindTheLastWritersMakesNoPauseAndKeepsTheLaterTime() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE).after(T0.minusSeconds(600), VISIBLE);

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.lastBusy()).contains(T0);
    // So the next pause is measured from the later time: shorter, never longer.
    assertThat(pauses.after(at(200), VISIBLE).recent()).containsExactly(Duration.ofSeconds(200));
  }

  static Pauses pauses(long... seconds) {
    return new Pauses(
        Optional.of(T0), Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  private static Instant at(long second) {
    return T0.plusSeconds(second);
  }
}
