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
  private static final Duration FIFTEEN_S = Duration.ofSeconds(15);
  private static final Duration ONE_MINUTE = Duration.ofSeconds(60);

  @Test
  void aPauseRunsFromOneSampleThatSawMessagesToTheNext() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE, FIFTEEN_S).after(at(400), IN_FLIGHT, FIFTEEN_S);

    assertThat(pauses.recent()).containsExactly(Duration.ofSeconds(400));
    assertThat(pauses.lastBusy()).contains(at(400));
  }

  @Test
  void samplesThatSeeNoMessageChangeNothing() {
    Pauses busy = Pauses.NONE.after(T0, VISIBLE, FIFTEEN_S);

    assertThat(busy.after(at(60), EMPTY, FIFTEEN_S)).isSameAs(busy);
    // Delayed messages are not work yet.
    assertThat(busy.after(at(120), new QueueSnapshot(0, 0, 50), FIFTEEN_S)).isSameAs(busy);
  }

  @Test
  void theSamplesOfOneBusySpellMakeNoPause() {
    Pauses pauses =
        Pauses.NONE
            .after(T0, VISIBLE, FIFTEEN_S)
            .after(at(15), VISIBLE, FIFTEEN_S)
            .after(at(30), IN_FLIGHT, FIFTEEN_S);

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.after(at(61), VISIBLE, FIFTEEN_S).recent())
        .containsExactly(Duration.ofSeconds(31));
  }

  @Test
  void atALongerSampleIntervalTheSamplesOfOneBusySpellMakeNoPauseEither() {
    // sample-interval-seconds 60: a queue busy for four minutes is read once a minute, and an
    // invocation may start a little late.
    Pauses pauses = Pauses.NONE;
    for (long second : new long[] {0, 60, 121, 181, 242}) {
      pauses = pauses.after(at(second), VISIBLE, ONE_MINUTE);
    }

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.after(at(400), VISIBLE, ONE_MINUTE).recent())
        .containsExactly(Duration.ofSeconds(158));
  }

  @Test
  void anInvocationThatStartsLateMakesNoPauseAtThirtySecondSampling() {
    Duration thirty = Duration.ofSeconds(30);
    Pauses pauses =
        Pauses.NONE.after(T0, VISIBLE, thirty).after(T0.plusMillis(31_500), VISIBLE, thirty);

    assertThat(pauses.recent()).isEmpty();
  }

  @Test
  void onlyTheNewestThreeAreKept() {
    Pauses pauses = Pauses.NONE.after(T0, VISIBLE, FIFTEEN_S);
    long[] gaps = {100, 200, 400, 800};
    long second = 0;
    for (long gap : gaps) {
      second += gap;
      pauses = pauses.after(at(second), VISIBLE, FIFTEEN_S);
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
    Pauses pauses =
        Pauses.NONE.after(T0, VISIBLE, FIFTEEN_S).after(T0.minusSeconds(600), VISIBLE, FIFTEEN_S);

    assertThat(pauses.recent()).isEmpty();
    assertThat(pauses.lastBusy()).contains(T0);
    // So the next pause is measured from the later time: shorter, never longer.
    assertThat(pauses.after(at(200), VISIBLE, FIFTEEN_S).recent())
        .containsExactly(Duration.ofSeconds(200));
  }

  static Pauses pauses(long... seconds) {
    return new Pauses(
        Optional.of(T0), Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  private static Instant at(long second) {
    return T0.plusSeconds(second);
  }
}
