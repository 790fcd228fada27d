package dev.queuescaler.scaler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.OtlpReceiver;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as an operator runs it: a fresh JVM, the SDK's standard environment variables
 * ({@code AWS_ENDPOINT_URL_<SERVICE>}) pointing at the local servers, the X-Ray daemon address at a
 * UDP listener.
 */
class ScalerCliIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalAws aws;
  private static XRayDaemonListener xray;

  @BeforeAll
  static void start() {
    aws = LocalAws.withMoto();
    xray = new XRayDaemonListener();
  }

  /**
   * Each test runs a scaler of its own prefix: one state table holds one prefix's parameter read
   * model, and a scaler refuses a table whose model mirrors another prefix.
   */
  @BeforeEach
  void freshStateTable() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    xray.close();
    aws.close();
  }

  record Run(int exit, List<String> stdout, String stderr) {}

  private static Run run(Map<String, String> extraEnv, String... args) throws Exception {
    return run(extraEnv, Set.of(), args);
  }

  private static Run run(Map<String, String> extraEnv, Set<String> unset, String... args)
      throws Exception {
    Path jar = Path.of(System.getProperty("scaler.jar", "target/scaler-lambda.jar"));
    assertThat(jar).exists();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.startsWith("OTEL_"));
    env.putAll(aws.sdkEnvironment());
    env.put("SCALER_STATE_TABLE", LocalAws.TABLE);
    env.put("AWS_XRAY_DAEMON_ADDRESS", xray.address());
    env.putAll(extraEnv);
    env.keySet().removeAll(unset);
    Path out = Files.createTempFile("scaler-cli", ".out");
    Path err = Files.createTempFile("scaler-cli", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finishes").isTrue();
    return new Run(
        process.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("stdout line is not JSON: " + line, e);
    }
  }

  @Test
  void onceScalesEveryTargetPrintsOnlyDecisionLinesAndTracesTheCycle() throws Exception {
    String queueUrl = aws.createQueue("cli-once");
    aws.service("cli-svc", 0);
    aws.putTarget("/cli-once", "traced", queueUrl, "cli-svc", Map.of("backlog-per-task", "50"));
    aws.send(queueUrl, 120);

    Run run = run(Map.of("SCALER_PARAMETER_PATH", "/cli-once"), "once");

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout()).singleElement();
    JsonNode line = parse(run.stdout().get(0));
    assertThat(line.get("target").asText()).isEqualTo("traced");
    assertThat(line.get("desired").asInt()).isEqualTo(3);
    assertThat(aws.desired("cli-svc")).isEqualTo(3);
    assertThat(run.stderr()).contains("\"_aws\"").contains("\"DesiredTasks\":3");

    JsonNode segment =
        xray.await(
            d ->
                d.path("name").asText().equals("queue-scaler")
                    && findSubsegment(d, "decide") != null
                    && findSubsegment(d, "decide")
                        .at("/annotations/target")
                        .asText()
                        .equals("traced"),
            Duration.ofSeconds(10));
    JsonNode decide = findSubsegment(segment, "decide");
    JsonNode annotations = decide.get("annotations");
    assertThat(annotations.get("target").asText()).isEqualTo("traced");
    assertThat(annotations.get("backlog").asLong()).isEqualTo(120);
    assertThat(annotations.get("current").asInt()).isZero();
    assertThat(annotations.get("desired").asInt()).isEqualTo(3);
    assertThat(annotations.get("action").asText()).isEqualTo("SCALE_OUT");
    assertThat(annotations.get("reason").asText()).isEqualTo("BACKLOG");
    assertThat(decide.at("/metadata/queue-scaler/decision/recommended").asInt()).isEqualTo(3);
    List<String> awsCalls = new ArrayList<>();
    for (JsonNode call : decide.path("subsegments")) {
      awsCalls.add(call.path("aws").path("operation").asText());
    }
    assertThat(awsCalls).contains("GetQueueAttributes", "GetItem").doesNotContain("UpdateService");
    // The action, in the round's order of urgency, in a subsegment of its own.
    JsonNode act = findSubsegment(segment, "act");
    assertThat(act.at("/annotations/action").asText()).isEqualTo("SCALE_OUT");
    assertThat(act.at("/annotations/desired").asInt()).isEqualTo(3);
    List<String> actCalls = new ArrayList<>();
    for (JsonNode call : act.path("subsegments")) {
      actCalls.add(call.path("aws").path("operation").asText());
    }
    assertThat(actCalls).contains("PutItem", "UpdateService");
    // The services are read per round, ten to a call, beside the decisions, not in each.
    List<String> cycleCalls = new ArrayList<>();
    for (JsonNode call : segment.path("subsegments")) {
      cycleCalls.add(call.path("aws").path("operation").asText());
    }
    assertThat(cycleCalls).contains("DescribeServices");
    assertThat(awsCalls).doesNotContain("DescribeServices");
    assertThat(xray.malformed()).isEmpty();
    assertThat(line.get("traceId").asText())
        .as("the line leads to its trace")
        .isEqualTo(segment.path("trace_id").asText());
    assertThat(line.get("requestId").asText()).as("the run's own id").isNotBlank();
    assertThat(line.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void withOpenTelemetryOnceExportsTheSameAnnotatedSpansToTheOtlpEndpoint() throws Exception {
    String queueUrl = aws.createQueue("cli-otel");
    aws.service("cli-otel-svc", 0);
    aws.putTarget(
        "/cli-otel", "traced-otel", queueUrl, "cli-otel-svc", Map.of("backlog-per-task", "50"));
    aws.send(queueUrl, 120);

    try (OtlpReceiver otlp = new OtlpReceiver()) {
      Run run =
          run(
              Map.of(
                  "SCALER_PARAMETER_PATH", "/cli-otel",
                  "TRACING", "otel",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()),
              "once");

      assertThat(run.exit()).as(run.stderr()).isZero();
      JsonNode line = parse(run.stdout().get(0));
      assertThat(line.get("desired").asInt()).isEqualTo(3);
      OtlpReceiver.ReceivedSpan decide =
          otlp.await(
              s -> s.name().equals("decide") && s.attribute("target").isPresent(),
              Duration.ofSeconds(10));
      OtlpReceiver.ReceivedSpan cycle =
          otlp.await(
              s -> s.name().equals("queue-scaler") && s.traceId().equals(decide.traceId()),
              Duration.ofSeconds(10));
      assertThat(cycle.serviceName()).isEqualTo("queue-scaler");
      assertThat(cycle.parentSpanId()).as("the CLI's cycle is a trace's root").isEmpty();
      assertThat(decide.parentSpanId()).contains(cycle.spanId());
      assertThat(decide.attribute("target")).contains("traced-otel");
      assertThat(decide.attribute("backlog")).contains(120L);
      assertThat(decide.attribute("current")).contains(0L);
      assertThat(decide.attribute("desired")).contains(3L);
      assertThat(decide.attribute("action")).contains("SCALE_OUT");
      assertThat(decide.attribute("reason")).contains("BACKLOG");
      assertThat(decide.attribute("aws.xray.annotations"))
          .contains(List.of("target", "backlog", "current", "desired", "action", "reason"));
      assertThat(decide.attribute("decision.recommended")).contains(3L);
      List<Object> awsCalls = callsUnder(otlp, decide);
      assertThat(awsCalls)
          .contains("GetQueueAttributes", "GetItem")
          .doesNotContain("UpdateService");
      OtlpReceiver.ReceivedSpan act =
          otlp.spans().stream()
              .filter(s -> s.name().equals("act"))
              .filter(s -> s.attribute("target").equals(Optional.of("traced-otel")))
              .findFirst()
              .orElseThrow();
      assertThat(act.parentSpanId()).contains(cycle.spanId());
      assertThat(act.attribute("action")).contains("SCALE_OUT");
      assertThat(callsUnder(otlp, act)).contains("PutItem", "UpdateService");
      assertThat(awsCalls).doesNotContain("DescribeServices");
      assertThat(callsUnder(otlp, cycle)).contains("DescribeServices");
      assertThat(line.get("traceId").asText()).isEqualTo(decide.xrayTraceId());
      assertThat(line.get("requestId").asText()).isNotBlank();
      assertThat(otlp.rejected()).isEmpty();
    }
  }

  @Test
  void aTracingValueThatIsNoneOfTheChoicesIsAUsageError() throws Exception {
    Run run = run(Map.of("TRACING", "jaeger"), "once");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr()).contains("TRACING must be xray, otel or off but was \"jaeger\"");
  }

  /** The AWS operations of the client spans directly beneath {@code parent}. */
  private static List<Object> callsUnder(OtlpReceiver otlp, OtlpReceiver.ReceivedSpan parent) {
    return otlp.spans().stream()
        .filter(s -> s.parentSpanId().equals(java.util.Optional.of(parent.spanId())))
        .map(s -> s.attribute("rpc.method").orElse(s.name()))
        .toList();
  }

  @Test
  void dryRunNeverCallsUpdateServiceAndSaysSo() throws Exception {
    String queueUrl = aws.createQueue("cli-dry");
    aws.service("cli-dry-svc", 0);
    aws.putTarget("/cli-dry", "orders", queueUrl, "cli-dry-svc", Map.of());
    aws.send(queueUrl, 500);
    Run run =
        run(Map.of("SCALER_PARAMETER_PATH", "/cli-dry"), "once", "--dry-run", "--target", "orders");

    assertThat(run.exit()).as(run.stderr()).isZero();
    JsonNode line = parse(run.stdout().get(0));
    assertThat(line.get("dryRun").asBoolean()).isTrue();
    assertThat(line.get("desired").asInt()).isEqualTo(5);
    assertThat(aws.desired("cli-dry-svc")).as("a dry run changes nothing").isZero();
  }

  @Test
  void exitsOneWhenATargetFailsAndTwoForUsageErrors() throws Exception {
    String queueUrl = aws.createQueue("cli-fail");
    aws.putTarget("/cli-fail", "nosvc", queueUrl, "not-there", Map.of());

    assertThat(run(Map.of("SCALER_PARAMETER_PATH", "/cli-fail"), "once").exit()).isEqualTo(1);
    // The service was not read: its values are not annotated (a 0 would look like a stopped one).
    JsonNode unread =
        findSubsegment(
            xray.await(
                d ->
                    findSubsegment(d, "decide") != null
                        && findSubsegment(d, "decide")
                            .at("/annotations/target")
                            .asText()
                            .equals("nosvc"),
                Duration.ofSeconds(10)),
            "decide");
    assertThat(unread.at("/annotations/reason").asText()).isEqualTo("SERVICE_UNREADABLE");
    assertThat(unread.at("/annotations/backlog").isMissingNode()).isFalse();
    assertThat(unread.at("/annotations/current").isMissingNode()).isTrue();
    assertThat(unread.at("/annotations/desired").isMissingNode()).isTrue();
    aws.service("typo-svc", 0);
    aws.putTarget("/cli-typo", "typo", queueUrl, "typo-svc", Map.of("enabled", "yes"));
    assertThat(run(Map.of("SCALER_PARAMETER_PATH", "/cli-typo"), "once").exit())
        .as("an unreadable kill switch fails the target")
        .isEqualTo(1);
    assertThat(run(Map.of(), "once", "--target", "no spaces").exit()).isEqualTo(2);
    assertThat(run(Map.of(), "twice").exit()).isEqualTo(2);
    assertThat(run(Map.of(), "once", "--target", "absent").exit()).isEqualTo(1);
    Map<String, String> noTable = new HashMap<>();
    noTable.put("SCALER_STATE_TABLE", "");
    Run missing = run(noTable, "once");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.stderr()).contains("SCALER_STATE_TABLE is not set");
    assertThat(missing.stdout()).isEmpty();
  }

  @Test
  void withoutARegionTheJarNamesAwsRegionAndRegionAndExitsTwo() throws Exception {
    Path config = Files.createTempFile("no-region", ".config");
    Run run =
        run(
            Map.of(
                // Neither the AWS config file nor the instance metadata gives one here.
                "AWS_CONFIG_FILE", config.toString(), "AWS_EC2_METADATA_DISABLED", "true"),
            Set.of("AWS_REGION", "AWS_DEFAULT_REGION"),
            "once");

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .isEqualTo(
            "scaler: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1) or pass --region");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void withoutCredentialsTheJarNamesTheCredentialChainInOneLineAndExitsTwo() throws Exception {
    Path empty = Files.createTempFile("no-credentials", ".config");

    Run run =
        run(
            Map.of(
                // Neither the AWS files nor the instance metadata give credentials here.
                "AWS_CONFIG_FILE", empty.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", empty.toString(),
                "AWS_EC2_METADATA_DISABLED", "true"),
            Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"),
            "once",
            "--region",
            "eu-west-1");

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().lines()).as(run.stderr()).singleElement();
    assertThat(run.stderr()).startsWith("scaler: no AWS credentials: the SDK's default chain (");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void theRegionOptionStandsInForAwsRegion() throws Exception {
    String queueUrl = aws.createQueue("cli-region");
    aws.service("cli-region-svc", 0);
    aws.putTarget("/cli-region", "regional", queueUrl, "cli-region-svc", Map.of());
    Path config = Files.createTempFile("no-region", ".config");

    Run run =
        run(
            Map.of(
                "SCALER_PARAMETER_PATH", "/cli-region",
                "AWS_CONFIG_FILE", config.toString(),
                "AWS_EC2_METADATA_DISABLED", "true"),
            Set.of("AWS_REGION", "AWS_DEFAULT_REGION"),
            "once",
            "--region",
            "us-east-1");

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(parse(run.stdout().get(0)).get("target").asText()).isEqualTo("regional");
  }

  private static JsonNode findSubsegment(JsonNode entity, String name) {
    for (JsonNode sub : entity.path("subsegments")) {
      if (sub.path("name").asText().equals(name)) {
        return sub;
      }
      JsonNode deeper = findSubsegment(sub, name);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }
}
