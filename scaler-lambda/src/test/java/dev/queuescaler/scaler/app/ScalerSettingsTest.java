package dev.queuescaler.scaler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScalerSettingsTest {

  @Test
  void theScalerTakesHalfOfEachQuotaUnlessTold() {
    ScalerSettings settings = ScalerSettings.fromEnvironment(Map.of("SCALER_STATE_TABLE", "state"));

    assertThat(settings.quotaSharePercent()).isEqualTo(50);
    assertThat(settings.parameterPath()).isEqualTo("/queue-scaler");
  }

  @Test
  void withoutAChangeQueueNoneIsDrained() {
    ScalerSettings settings = ScalerSettings.fromEnvironment(Map.of("SCALER_STATE_TABLE", "state"));

    assertThat(settings.changeQueueUrl()).isEmpty();
  }

  @Test
  void theStacksChangeQueueIsDrainedWhenNamed() {
    String url = "https://sqs.eu-west-1.amazonaws.com/123456789012/scaler-changes";
    ScalerSettings settings =
        ScalerSettings.fromEnvironment(
            Map.of("SCALER_STATE_TABLE", "state", "SCALER_CHANGE_QUEUE_URL", url));

    assertThat(settings.changeQueueUrl()).contains(url);
  }

  @Test
  void aChangeQueueThatIsNoUrlIsRefusedByName() {
    assertThatThrownBy(
            () ->
                ScalerSettings.fromEnvironment(
                    Map.of("SCALER_STATE_TABLE", "state", "SCALER_CHANGE_QUEUE_URL", "changes")))
        .hasMessageContaining("SCALER_CHANGE_QUEUE_URL is \"changes\"");
  }

  @Test
  void anOperatorMayGiveTheScalerALargerShare() {
    ScalerSettings settings =
        ScalerSettings.fromEnvironment(
            Map.of("SCALER_STATE_TABLE", "state", "SCALER_QUOTA_SHARE_PERCENT", " 80 "));

    assertThat(settings.quotaSharePercent()).isEqualTo(80);
  }

  @Test
  void aShareThatIsNotAPercentageIsRefusedByName() {
    for (String bad : new String[] {"0", "101", "half", ""}) {
      assertThatThrownBy(
              () ->
                  ScalerSettings.fromEnvironment(
                      Map.of("SCALER_STATE_TABLE", "state", "SCALER_QUOTA_SHARE_PERCENT", bad)))
          .as(bad)
          .hasMessageContaining("SCALER_QUOTA_SHARE_PERCENT is " + bad)
          .hasMessageContaining("from 1 to 100");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nonsense", "host:99999", "host:", "127.0.0.1 2000"})
  void anXRayDaemonAddressThatIsNoHostAndPortIsRefusedByName(String bad) {
    assertThatThrownBy(
            () ->
                ScalerSettings.fromEnvironment(
                    Map.of("SCALER_STATE_TABLE", "state", "AWS_XRAY_DAEMON_ADDRESS", bad)))
        .hasMessage(
            "AWS_XRAY_DAEMON_ADDRESS is \"" + bad + "\": give host:port, e.g. 127.0.0.1:2000");
  }

  /**
   * The daemon address is the X-Ray SDK's alone: with OpenTelemetry or no tracing a value left in
   * the environment (a function switched from xray, a shell's variable) must not stop the scaler,
   * as it does not stop the worker.
   */
  @ParameterizedTest(name = "TRACING={0}")
  @ValueSource(strings = {"otel", "off", " OFF "})
  void withoutTheXRaySdkTheDaemonAddressIsNotChecked(String tracing) {
    assertThatCode(
            () ->
                ScalerSettings.fromEnvironment(
                    Map.of(
                        "SCALER_STATE_TABLE",
                        "state",
                        "TRACING",
                        tracing,
                        "AWS_XRAY_DAEMON_ADDRESS",
                        "localhost")))
        .doesNotThrowAnyException();
  }

  @Test
  void withTheXRaySdkChosenByNameTheDaemonAddressIsChecked() {
    assertThatThrownBy(
            () ->
                ScalerSettings.fromEnvironment(
                    Map.of(
                        "SCALER_STATE_TABLE",
                        "state",
                        "TRACING",
                        "xray",
                        "AWS_XRAY_DAEMON_ADDRESS",
                        "localhost")))
        .hasMessage(
            "AWS_XRAY_DAEMON_ADDRESS is \"localhost\": give host:port, e.g. 127.0.0.1:2000");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"169.254.79.129:2000", "localhost:2000", "tcp:127.0.0.1:2000 udp:127.0.0.2:2001"})
  void theDaemonAddressFormsTheXRaySdkReadsAreAccepted(String address) {
    assertThat(
            ScalerSettings.fromEnvironment(
                    Map.of("SCALER_STATE_TABLE", "state", "AWS_XRAY_DAEMON_ADDRESS", address))
                .xrayDaemonAddress())
        .isEqualTo(address);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a b", "/queue scaler", "/orders/*", "/café"})
  void aParameterPathSsmWouldRefuseIsRefusedByName(String bad) {
    assertThatThrownBy(
            () ->
                ScalerSettings.fromEnvironment(
                    Map.of("SCALER_STATE_TABLE", "state", "SCALER_PARAMETER_PATH", bad)))
        .hasMessageStartingWith("SCALER_PARAMETER_PATH is \"")
        .hasMessageEndingWith("\": an SSM path has only letters, digits, '.', '-', '_' and '/'");
  }

  @Test
  void aNestedParameterPathIsAccepted() {
    assertThat(
            ScalerSettings.fromEnvironment(
                    Map.of(
                        "SCALER_STATE_TABLE",
                        "state",
                        "SCALER_PARAMETER_PATH",
                        "team-a/queue_scaler.v2/"))
                .parameterPath())
        .isEqualTo("/team-a/queue_scaler.v2");
  }
}
