package dev.queuescaler.scaler.app;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of issue 25: docs/tracing.md says the OTEL_* variables are "read only with otel", but the
 * scaler parses OTEL_EXPORTER_OTLP_ENDPOINT whatever TRACING is, so an endpoint it will never use
 * (a common "host:port" without a scheme) stops the Lambda's init and the CLI with TRACING=xray.
 */
class ObservabilitySettingsReviewTest {

  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"xray", "off"})
  void anOtlpEndpointIsNotReadWhenOpenTelemetryIsNotChosen(String tracing) {
    assertThatCode(
            () ->
                ObservabilitySettings.fromEnvironment(
                    Map.of("TRACING", tracing, "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .doesNotThrowAnyException();
  }
}
