package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @Test
  void anEndpointWithoutASchemeFailsNamingTheVariableAndItsValue() {
    // "collector:4318" parses as a URI whose scheme is "collector": the message must say which
    // variable holds it, not only the URL built from it.
    assertThatThrownBy(
            () ->
                OtelSettings.fromEnvironment(
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), "w"))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT")
        .hasMessageContaining("collector:4318");
  }

  /**
   * docs/tracing.md: with {@code otel} a bad endpoint stops the process with a message naming the
   * variable and its value. Each of these is an http(s) URL the OTLP exporter cannot send to: no
   * host, a port out of range, no "//" (the host is read as a path); before the check some were
   * accepted ("http://" became http://v1/traces, a host named "v1") and the others failed in the
   * OpenTelemetry SDK with a message that names no variable.
   */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "OTEL_EXPORTER_OTLP_ENDPOINT        | http://",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | https://",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | http://:4318",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | http:collector:4318",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | https://?x",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | http://localhost:99999",
        "OTEL_EXPORTER_OTLP_ENDPOINT        | http://localhost:0",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | http:///v1/traces",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | http://localhost:70000/v1/traces",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | http:collector:4318/v1/traces",
      })
  void anEndpointWithoutAHostOrWithAPortOutOfRangeFailsNamingTheVariableAndItsValue(
      String variable, String value) {
    assertThatThrownBy(() -> OtelSettings.fromEnvironment(Map.of(variable, value), "w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(variable + " ")
        .hasMessageContaining("\"" + value + "\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://localhost, http://localhost/v1/traces",
    "https://collector.example:443, https://collector.example:443/v1/traces",
    "http://[::1]:4318, http://[::1]:4318/v1/traces",
    "http://127.0.0.1:65535/otlp/, http://127.0.0.1:65535/otlp/v1/traces",
  })
  void anEndpointWithAHostAndAPortInRangeIsTaken(String value, String traces) {
    assertThat(
            OtelSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", value), "w")
                .tracesEndpoint())
        .hasToString(traces);
  }
}
