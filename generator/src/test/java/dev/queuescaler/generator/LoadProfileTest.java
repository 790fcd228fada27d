package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadProfileTest {

  private static Instant minute(long m) {
    return Instant.ofEpochSecond(m * 60 + 17);
  }

  @ParameterizedTest(name = "{0} at minute {1} of a 60-minute period gives {2}")
  @CsvSource({
    "SINE, 0, 0",
    "SINE, 15, 500",
    "SINE, 30, 1000",
    "SINE, 45, 500",
    "SQUARE, 0, 1000",
    "SQUARE, 29, 1000",
    "SQUARE, 30, 0",
    "RAMP, 0, 0",
    "RAMP, 30, 500",
    "RAMP, 59, 983",
    "RAMP, 60, 0"
  })
  void followsItsShape(Shape shape, long minute, int expected) {
    assertThat(new LoadProfile(shape, 0, 1000, 60).countAt(minute(minute))).isEqualTo(expected);
  }
}
