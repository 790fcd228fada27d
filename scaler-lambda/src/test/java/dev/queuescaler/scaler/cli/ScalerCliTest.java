package dev.queuescaler.scaler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.ParameterKey;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/**
 * The CLI's answers that need no AWS: help, version, the defaults table and the settings errors
 * (ScalerCliIT runs the jar against local servers).
 */
class ScalerCliTest {

  private static final RegionChoice.Elsewhere NO_REGION_ELSEWHERE = Optional::empty;

  record Run(int exit, String stdout, String stderr) {}

  /** Credentials that the SDK's chain would find; none is ever used (no test reaches AWS). */
  private static final CredentialChain CREDENTIALS_FOUND = () -> true;

  private static Run run(Map<String, String> env, String... args) {
    return run(env, CREDENTIALS_FOUND, args);
  }

  private static Run run(Map<String, String> env, CredentialChain credentials, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ScalerCli.run(
            args,
            env,
            NO_REGION_ELSEWHERE,
            credentials,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The version the pom gives this module (its parent's, the project's). */
  static String pomVersion() throws Exception {
    var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    return XPathFactory.newInstance().newXPath().evaluate("/project/parent/version", pom);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--help", "once --help", "defaults --help"})
  void helpGoesToStdoutAndExitsZero(String args) {
    Run run = run(Map.of(), args.split(" "));

    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).startsWith("Usage: scaler");
    assertThat(run.stderr()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--version", "once --version"})
  void versionPrintsThePomsVersionAndExitsZero(String args) throws Exception {
    Run run = run(Map.of(), args.split(" "));

    assertThat(run.exit()).isZero();
    assertThat(pomVersion()).isNotBlank();
    assertThat(run.stdout().strip()).startsWith("scaler").endsWith(" " + pomVersion());
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void defaultsListsEveryKeyWithItsDefaultAndValidRange() {
    Run run = run(Map.of(), "defaults");

    assertThat(run.exit()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines.get(0)).contains("/queue-scaler");
    assertThat(lines.get(1).split("\\s{2,}")).containsExactly("key", "type", "default", "valid");
    assertThat(lines.subList(2, lines.size()))
        .hasSize(ParameterKey.values().length)
        .zipSatisfy(
            Arrays.asList(ParameterKey.values()),
            (line, key) ->
                assertThat(line.split("\\s{2,}"))
                    .containsExactly(
                        key.key(), key.kind().label(), key.tableDefault(), key.valid()));
    assertThat(run.stdout()).contains("max-tasks").contains("scale-in-stabilization-seconds");
  }

  @Test
  void withoutARegionAnywhereOnceNamesAwsRegionAndRegionAndExitsTwo() {
    Run run = run(Map.of("SCALER_STATE_TABLE", "state"), "once");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .isEqualTo(
            "scaler: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1) or pass --region");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void aRegionOptionThatIsNoRegionNameIsRejectedWithItsValueAndExitTwo() {
    Run run = run(Map.of("SCALER_STATE_TABLE", "state"), "once", "--region", "Ireland");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .isEqualTo("scaler: --region \"Ireland\" is not an AWS region name such as eu-west-1");
  }

  @Test
  void theRegionOptionWinsOverAwsRegionWhichWinsOverTheAwsConfig() {
    RegionChoice.Elsewhere config = () -> Optional.of(Region.AP_SOUTH_1);

    assertThat(
            RegionChoice.choose(
                Optional.of("eu-west-1"), Map.of("AWS_REGION", "us-east-1"), config))
        .isEqualTo(Region.EU_WEST_1);
    assertThat(RegionChoice.choose(Optional.empty(), Map.of("AWS_REGION", "us-east-1"), config))
        .isEqualTo(Region.US_EAST_1);
    assertThat(RegionChoice.choose(Optional.empty(), Map.of(), config))
        .isEqualTo(Region.AP_SOUTH_1);
  }

  @Test
  void aMissingStateTableIsStillNamedFirst() {
    Run run = run(Map.of(), "once");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("scaler: SCALER_STATE_TABLE is not set");
  }

  @Test
  void everyRegionTheSdkKnowsIsARegionName() {
    assertThat(Region.regions())
        .filteredOn(region -> !region.isGlobalRegion())
        .isNotEmpty()
        .allSatisfy(
            region ->
                assertThat(
                        RegionChoice.choose(
                            Optional.of(region.id()), Map.of(), NO_REGION_ELSEWHERE))
                    .isEqualTo(region));
  }

  @Test
  void withoutCredentialsOnceNamesTheCredentialChainInOneLineAndExitsTwo() {
    Run run =
        run(Map.of("SCALER_STATE_TABLE", "state"), () -> false, "once", "--region", "eu-west-1");

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().lines()).as(run.stderr()).singleElement();
    assertThat(run.stderr())
        .startsWith("scaler: no AWS credentials: the SDK's default chain (")
        .contains("AWS_PROFILE")
        .doesNotContain("Exception");
    assertThat(run.stdout()).isEmpty();
  }

  /** What picocli rejects itself gets one line too, not its message followed by the usage. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "once|--target|a b|scaler: Invalid value for option '--target': target names match"
            + " [A-Za-z0-9._-]{1,64}; got \"a b\" (see scaler once --help)",
        "once|--dry-run|--dry-run|scaler: option '--dry-run' should be specified only once (see"
            + " scaler once --help)",
        "once|--bogus||scaler: Unknown option: '--bogus' (see scaler once --help)"
      })
  void anArgumentPicocliRejectsIsOneLineWithoutTheUsage(
      String command, String option, String value, String line) {
    String[] args =
        value == null ? new String[] {command, option} : new String[] {command, option, value};

    Run run = run(Map.of("SCALER_STATE_TABLE", "state"), args);

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo(line + System.lineSeparator());
    assertThat(run.stdout()).isEmpty();
  }
}
