package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeneratorEventTest {

  private static final Optional<String> QUEUE = Optional.of("http://127.0.0.1:9324/1/jobs");

  private static GenerateRequest parse(String event) {
    return GeneratorEvent.parse(event.getBytes(StandardCharsets.UTF_8), QUEUE);
  }

  @Test
  void readsACountEventWithItsDefaults() {
    GenerateRequest request = parse("{\"count\": 500}");

    assertThat(request.count()).isEqualTo(500);
    assertThat(request.bodyBytes()).isEqualTo(256);
    assertThat(request.workMillis()).isEqualTo(100);
    assertThat(request.failRate()).isZero();
    assertThat(request.queueUrl()).isEqualTo(QUEUE.get());
    assertThat(request.profile()).isEmpty();
  }

  @Test
  void readsAProfileEvent() {
    GenerateRequest request =
        parse(
            "{\"profile\": {\"shape\": \"sine\", \"min\": 0, \"max\": 1000, \"periodMinutes\": 60},"
                + " \"bodyBytes\": 512, \"workMillis\": 50, \"failRate\": 0.1, \"seed\": 7}");

    assertThat(request.profile()).contains(new LoadProfile(Shape.SINE, 0, 1000, 60));
    assertThat(request.bodyBytes()).isEqualTo(512);
    assertThat(request.failRate()).isEqualTo(0.1);
    assertThat(request.seed()).contains(7L);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative count | {\"count\": -1} | count must be between 0 and 1000000",
        "absurd count | {\"count\": 5000000} | count must be between 0 and 1000000",
        "body over the SQS limit | {\"count\": 1, \"bodyBytes\": 1048577} | bodyBytes must be between",
        "body smaller than its fields | {\"count\": 1, \"bodyBytes\": 10} | bodyBytes must be between",
        "fail rate above one | {\"count\": 1, \"failRate\": 1.5} | failRate must be between 0 and 1",
        "negative work | {\"count\": 1, \"workMillis\": -3} | workMillis must be between",
        "unknown shape | {\"profile\": {\"shape\": \"zigzag\", \"max\": 5}} | profile.shape must be one of sine, square, ramp",
        "profile without max | {\"profile\": {\"shape\": \"ramp\"}} | profile.max is required",
        "min above max | {\"profile\": {\"shape\": \"ramp\", \"min\": 9, \"max\": 5}} | profile.max must be between",
        "neither count nor profile | {\"bodyBytes\": 300} | count or profile is required",
        "null count | {\"count\": null} | count or profile is required",
        "null count, null profile | {\"count\": null, \"profile\": null} | count or profile is required",
        "count beside a profile | {\"count\": 5, \"profile\": {\"shape\": \"ramp\", \"max\": 9}} | count or profile, not both",
        "unknown field | {\"count\": 1, \"colour\": \"red\"} | unknown field colour",
        "string count | {\"count\": \"ten\"} | count must be an integer",
        "not JSON | {count: | the event is not JSON"
      })
  void rejectsBadInputNamingTheField(String name, String event, String message) {
    assertThatThrownBy(() -> parse(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsAMissingQueueUrl() {
    assertThatThrownBy(
            () ->
                GeneratorEvent.parse(
                    "{\"count\": 1}".getBytes(StandardCharsets.UTF_8), Optional.empty()))
        .hasMessageContaining("queueUrl is required");
  }
}
