package dev.queuescaler.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkMessageTest {

  @Test
  void writesTheDocumentedFormat() {
    WorkMessage message = new WorkMessage("6f1c", 100, false, "abc");

    assertThat(message.toJson())
        .isEqualTo("{\"id\":\"6f1c\",\"workMillis\":100,\"fail\":false,\"payload\":\"abc\"}");
  }

  @Property
  void readsWhatItWrites(
      @ForAll @IntRange(min = 0) int workMillis, @ForAll boolean fail, @ForAll String payload)
      throws InvalidMessageException {
    WorkMessage message = new WorkMessage("id-1", workMillis, fail, payload);

    assertThat(WorkMessage.parse(message.toJson())).isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON | hello | body is not JSON",
        "not an object | [1] | body must be a JSON object",
        "no id | {\"workMillis\":1,\"fail\":false,\"payload\":\"\"} | \"id\" must be",
        "negative work | {\"id\":\"a\",\"workMillis\":-1,\"fail\":false,\"payload\":\"\"} | \"workMillis\" must be",
        "fractional work | {\"id\":\"a\",\"workMillis\":1.5,\"fail\":false,\"payload\":\"\"} | \"workMillis\" must be",
        "string fail | {\"id\":\"a\",\"workMillis\":1,\"fail\":\"no\",\"payload\":\"\"} | \"fail\" must be",
        "no payload | {\"id\":\"a\",\"workMillis\":1,\"fail\":false} | \"payload\" must be"
      })
  void rejectsABadBodyNamingTheProblem(String name, String body, String problem) {
    assertThatThrownBy(() -> WorkMessage.parse(body))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(problem);
  }
}
