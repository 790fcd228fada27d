package dev.queuescaler.scaler.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/tracing.md: the OTEL_* variables are read only with otel, so an endpoint the scaler will
 * never use (a common "host:port" without a scheme) cannot stop the Lambda's init or the CLI.
 */
class ObservabilitySettingsTest {

  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"xray", "off"})
  void anOtlpEndpointIsNotReadWhenOpenTelemetryIsNotChosen(String tracing) {
    assertThatCode(
            () ->
                ObservabilitySettings.fromEnvironment(
                    Map.of("TRACING", tracing, "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .doesNotThrowAnyException();
  }

  @Test
  void anOtlpEndpointWithoutASchemeFailsWithOpenTelemetryNamingTheVariable() {
    assertThatThrownBy(
            () ->
                ObservabilitySettings.fromEnvironment(
                    Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT")
        .hasMessageContaining("collector:4318");
  }
}
