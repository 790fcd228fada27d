package dev.queuescaler.scaler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalerSettingsTest {

  @Test
  void theScalerTakesHalfOfEachQuotaUnlessTold() {
    ScalerSettings settings = ScalerSettings.fromEnvironment(Map.of("SCALER_STATE_TABLE", "state"));

    assertThat(settings.quotaSharePercent()).isEqualTo(50);
    assertThat(settings.parameterPath()).isEqualTo("/queue-scaler");
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
}
