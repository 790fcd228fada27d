package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TracingChoiceTest {

  @ParameterizedTest(name = "TRACING={0} is {1}")
  @CsvSource({"xray,XRAY", "otel,OTEL", "off,OFF", "' OTEL ',OTEL", "'',XRAY"})
  void readsTheVariable(String value, TracingChoice expected) {
    assertThat(TracingChoice.fromEnvironment(Map.of("TRACING", value))).isEqualTo(expected);
  }

  @Test
  void absentIsTheDefaultXRayUntilTheSwitch() {
    assertThat(TracingChoice.fromEnvironment(Map.of())).isEqualTo(TracingChoice.XRAY);
  }

  @Test
  void anUnknownValueFailsNamingTheVariableAndTheChoices() {
    assertThatThrownBy(() -> TracingChoice.fromEnvironment(Map.of("TRACING", "jaeger")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TRACING must be xray, otel or off but was \"jaeger\"");
  }
}
