package dev.queuescaler.scaler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A bad AWS_REGION is a settings error like a bad --region (exit 2, one line naming it), not the
 * SDK's SdkClientException stack trace with exit 1.
 */
class ScalerCliRegionTest {

  @Test
  void anAwsRegionThatIsNoRegionNameIsRejectedWithItsValueAndExitTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ScalerCli.run(
            new String[] {"once"},
            Map.of("SCALER_STATE_TABLE", "state", "AWS_REGION", "EU WEST"),
            Optional::empty,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(stderr).isEqualTo(2);
    assertThat(stderr.lines()).as(stderr).hasSize(1);
    assertThat(stderr).contains("AWS_REGION").contains("EU WEST").doesNotContain("Exception");
  }
}
