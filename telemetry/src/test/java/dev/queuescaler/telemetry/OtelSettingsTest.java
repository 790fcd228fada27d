package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelSettingsTest {

  @Test
  void theBaseEndpointGetsTheTracesPathAsTheStandardSays() {
    OtelSettings settings =
        OtelSettings.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), "queue-scaler");
    assertThat(settings.tracesEndpoint()).hasToString("http://collector:4318/v1/traces");
    assertThat(settings.serviceName()).isEqualTo("queue-scaler");
  }

  @Test
  void theTracesEndpointIsTakenAsGiven() {
    OtelSettings settings =
        OtelSettings.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:9999/traces",
                "OTEL_SERVICE_NAME", "orders-scaler"),
            "queue-scaler");
    assertThat(settings.tracesEndpoint()).hasToString("http://collector:9999/traces");
    assertThat(settings.serviceName()).isEqualTo("orders-scaler");
  }

  @Test
  void withoutAnEndpointTheCollectorBesideTheProcess() {
    assertThat(OtelSettings.fromEnvironment(Map.of(), "w").tracesEndpoint())
        .hasToString("http://localhost:4318/v1/traces");
  }

  @Test
  void aGrpcOrOtherSchemeFailsWithTheValue() {
    assertThatThrownBy(
            () ->
                OtelSettings.fromEnvironment(
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://collector:4317"), "w"))
        .hasMessageContaining("http or https")
        .hasMessageContaining("grpc://collector:4317");
  }
}
