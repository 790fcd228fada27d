package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of issue 25: the worker parses OTEL_EXPORTER_OTLP_ENDPOINT whatever TRACING is
 * (WorkerSettings.fromEnvironment), so with TRACING=xray or off an endpoint it never uses makes it
 * exit 2; docs/tracing.md says the OTEL_* variables are read only with otel.
 */
class WorkerSettingsReviewTest {

  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"xray", "off"})
  void anOtlpEndpointIsNotReadWhenOpenTelemetryIsNotChosen(String tracing) {
    assertThatCode(
            () ->
                WorkerSettings.fromEnvironment(
                    Map.of(
                        "QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/work",
                        "TRACING", tracing,
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .doesNotThrowAnyException();
  }
}
