package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.LambdaInvocation;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Lambda handler invoked as the runtime would, with a real scheduled-event payload. */
class ScalerHandlerIT {

  private static LocalAws aws;

  @BeforeAll
  static void startServers() {
    aws = LocalAws.withMoto();
  }

  @AfterAll
  static void stopServers() {
    aws.close();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final ByteArrayOutputStream heartbeats = new ByteArrayOutputStream();

  @org.junit.jupiter.api.BeforeEach
  void noStateFromOtherTests() {
    aws.clearState();
  }

  private ScalerHandler handler(ScalerHarness harness) {
    return new ScalerHandler(
        harness.cycle(),
        ScalerHarness.parameterChanges(aws),
        new JsonOperatorLog(new PrintStream(logs, true, StandardCharsets.UTF_8), Clock.systemUTC()),
        harness.clock,
        harness.prefix(),
        new EmfCycleHeartbeat(
            new PrintStream(heartbeats, true, StandardCharsets.UTF_8), "QueueScaler"));
  }

  /** The heartbeat lines written so far, parsed. */
  private List<JsonNode> heartbeats() throws Exception {
    return emfLines(heartbeats.toString(StandardCharsets.UTF_8));
  }

  /** The Embedded Metric Format lines among {@code output}'s lines, parsed. */
  private static List<JsonNode> emfLines(String output) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith("{")) {
        JsonNode json = JSON.readTree(line);
        if (json.has("_aws")) {
          lines.add(json);
        }
      }
    }
    return lines;
  }

  @Test
  void aParameterStoreChangeEventMakesTheNextCycleReadThatTargetAgain() throws Exception {
    String queueUrl = aws.createQueue("handler-change");
    aws.service("handler-change-svc", 0);
    // A disabled target whose ten keys fill the walk's first page: orders comes on the second.
    aws.service("handler-change-idle", 0);
    aws.putTarget(
        "/handler-change",
        "a-disabled",
        queueUrl,
        "handler-change-idle",
        Map.of(
            "enabled", "false",
            "min-tasks", "0",
            "max-tasks", "1",
            "backlog-per-task", "100",
            "activation-backlog", "1",
            "count-in-flight", "true",
            "count-delayed", "false"));
    aws.putTarget(
        "/handler-change",
        "orders",
        queueUrl,
        "handler-change-svc",
        Map.of("backlog-per-task", "10", "max-tasks", "2"));
    aws.send(queueUrl, 100);

    try (ScalerHarness harness = ScalerHarness.withParameterReadModel(aws, "/handler-change", 1)) {
      ScalerHandler handler = handler(harness);
      invoke(handler, "{}");
      assertThat(aws.desired("handler-change-svc")).isEqualTo(2);

      aws.putParameter("/handler-change/orders/max-tasks", "4");
      harness.clock.advance(Duration.ofSeconds(60));
      invoke(handler, "{}");
      assertThat(aws.desired("handler-change-svc"))
          .as("no change event yet, and the walk is at another target")
          .isEqualTo(2);

      String event =
          "{\"version\":\"0\",\"source\":\"aws.ssm\",\"detail-type\":\"Parameter Store"
              + " Change\",\"detail\":{\"name\":\"/handler-change/orders/max-tasks\","
              + "\"type\":\"String\",\"operation\":\"Update\"}}";
      assertThat(invoke(handler, event)).isEqualTo("{\"parametersChanged\":true}");
      harness.clock.advance(Duration.ofSeconds(60));
      invoke(handler, "{}");

      assertThat(aws.desired("handler-change-svc")).isEqualTo(4);
    }
  }

  private static String invoke(ScalerHandler handler, String payload) throws Exception {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(
        new java.io.ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), response, null);
    return response.toString(StandardCharsets.UTF_8);
  }

  @Test
  void passesTheInvocationsRemainingTimeAsTheCyclesDeadline() throws Exception {
    String queueUrl = aws.createQueue("handler-late");
    aws.service("handler-late-svc", 0);
    aws.putTarget("/handler-late", "orders", queueUrl, "handler-late-svc", Map.of());
    aws.send(queueUrl, 230);

    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-late")) {
      // 10 s left: too little for a target's six calls at their worst case.
      assertThatThrownBy(
              () ->
                  handler(harness)
                      .handleRequest(
                          fixture(),
                          new ByteArrayOutputStream(),
                          new LambdaInvocation("scaler", 10_000)))
          .isInstanceOf(ScalingCycleFailedException.class)
          .hasMessageContaining("orders: skipped");
      assertThat(aws.desired("handler-late-svc")).isZero();

      handler(harness)
          .handleRequest(
              fixture(), new ByteArrayOutputStream(), new LambdaInvocation("scaler", 49_000));
      assertThat(aws.desired("handler-late-svc")).isEqualTo(3);
    }
  }

  private static InputStream fixture() {
    return ScalerHandlerIT.class.getResourceAsStream("/events/scheduled-event.json");
  }

  @Test
  void runsTheCycleForTheScheduledEventAndReturnsASummary() throws Exception {
    String queueUrl = aws.createQueue("handler-ok");
    aws.service("handler-ok-svc", 0);
    aws.putTarget("/handler-ok", "orders", queueUrl, "handler-ok-svc", Map.of());
    aws.send(queueUrl, 230);

    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-ok")) {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      handler(harness).handleRequest(fixture(), response, null);

      assertThat(aws.desired("handler-ok-svc")).isEqualTo(3);
      assertThat(response.toString(StandardCharsets.UTF_8))
          .as("sampled at 0, 15, 30 and 45 s within the minute; it scaled once")
          .isEqualTo("{\"targets\":1,\"decisions\":4,\"scalingActions\":1,\"failures\":0}");
      assertThat(harness.decisionLines().get(0).get("action").asText()).isEqualTo("SCALE_OUT");
      assertThat(harness.lastLine("orders").get("action").asText()).isEqualTo("HOLD");
    }
  }

  @Test
  void throwsAfterEveryTargetRanWhenOneFailed() {
    String queueUrl = aws.createQueue("handler-fail");
    aws.service("good-svc", 0);
    aws.putTarget("/handler-fail", "good", queueUrl, "good-svc", Map.of());
    aws.putTarget("/handler-fail", "missing", queueUrl, "no-such-svc", Map.of());
    aws.send(queueUrl, 10);

    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-fail")) {
      assertThatThrownBy(
              () -> handler(harness).handleRequest(fixture(), new ByteArrayOutputStream(), null))
          .isInstanceOf(ScalingCycleFailedException.class)
          .hasMessageContaining("missing: SERVICE_UNREADABLE")
          .hasMessageContaining("MISSING");
      assertThat(aws.desired("good-svc")).isEqualTo(1);
    }
  }

  @Test
  void rejectsAPayloadThatIsNotAJsonObjectAndScalesNothing() {
    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-bad")) {
      InputStream garbage = new ByteArrayInputStream("[1,2".getBytes(StandardCharsets.UTF_8));

      assertThatThrownBy(
              () -> handler(harness).handleRequest(garbage, new ByteArrayOutputStream(), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not JSON");
      assertThat(harness.decisionLines()).as("no cycle ran").isEmpty();
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .contains("rejected invocation, nothing scaled");
    }
  }

  @Test
  void aScheduledCycleThatEndsWritesOneHeartbeatWithoutDimensions() throws Exception {
    String queueUrl = aws.createQueue("handler-beat");
    aws.service("handler-beat-svc", 0);
    aws.putTarget("/handler-beat", "orders", queueUrl, "handler-beat-svc", Map.of());
    aws.send(queueUrl, 230);

    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-beat")) {
      handler(harness).handleRequest(fixture(), new ByteArrayOutputStream(), null);

      assertThat(heartbeats()).hasSize(1);
      JsonNode beat = heartbeats().get(0);
      assertThat(beat.path("CyclesCompleted").asInt()).isEqualTo(1);
      JsonNode directive = beat.at("/_aws/CloudWatchMetrics/0");
      assertThat(directive.path("Namespace").asText()).isEqualTo("QueueScaler");
      assertThat(directive.path("Dimensions").toString())
          .as("one empty dimension set: the function's metric, not a target's")
          .isEqualTo("[[]]");
      assertThat(directive.path("Metrics").toString())
          .isEqualTo("[{\"Name\":\"CyclesCompleted\",\"Unit\":\"Count\"}]");
      assertThat(beat.at("/_aws/Timestamp").asLong())
          .as("written when the cycle ended, after its samples within the minute")
          .isEqualTo(harness.clock.instant().toEpochMilli());
    }
  }

  @Test
  void aCycleWithAFailedTargetStillBeatsBeforeTheInvocationFails() throws Exception {
    String queueUrl = aws.createQueue("handler-beat-fail");
    aws.service("beat-good-svc", 0);
    aws.putTarget("/handler-beat-fail", "good", queueUrl, "beat-good-svc", Map.of());
    aws.putTarget("/handler-beat-fail", "missing", queueUrl, "no-such-svc", Map.of());
    aws.send(queueUrl, 10);

    try (ScalerHarness harness = new ScalerHarness(aws, "/handler-beat-fail")) {
      assertThatThrownBy(
              () -> handler(harness).handleRequest(fixture(), new ByteArrayOutputStream(), null))
          .isInstanceOf(ScalingCycleFailedException.class);

      // The failure is the function's Errors (the ScalerErrors alarm); the scaler still runs.
      assertThat(heartbeats()).hasSize(1);
    }
  }

  @Test
  void aParameterStoreChangeEventOrARejectedPayloadWritesNoHeartbeat() throws Exception {
    try (ScalerHarness harness = ScalerHarness.withParameterReadModel(aws, "/handler-nobeat", 1)) {
      String event =
          "{\"version\":\"0\",\"source\":\"aws.ssm\",\"detail-type\":\"Parameter Store"
              + " Change\",\"detail\":{\"name\":\"/handler-nobeat/orders/max-tasks\","
              + "\"type\":\"String\",\"operation\":\"Update\"}}";
      assertThat(invoke(handler(harness), event)).isEqualTo("{\"parametersChanged\":true}");
      assertThatThrownBy(() -> invoke(handler(harness), "[1,2"))
          .isInstanceOf(IllegalArgumentException.class);

      assertThat(heartbeats()).as("no cycle ran").isEmpty();
    }
  }

  @Test
  void theRuntimesConstructorBeatsOnStdoutInTheConfiguredNamespace() throws Exception {
    String queueUrl = aws.createQueue("handler-beat-jvm");
    aws.service("beat-jvm-svc", 0);
    // Sampled once: the real handler in its own JVM waits in real time between samples.
    aws.putTarget(
        "/handler-beat-jvm",
        "orders",
        queueUrl,
        "beat-jvm-svc",
        Map.of("sample-interval-seconds", "60"));

    try (XRayDaemonListener xray = new XRayDaemonListener()) {
      ProcessBuilder builder =
          new ProcessBuilder(
              List.of(
                  "java",
                  "-cp",
                  System.getProperty("scaler.jar", "target/scaler-lambda.jar")
                      + File.pathSeparator
                      + Path.of("target", "test-classes"),
                  InvokeLikeLambda.class.getName()));
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_"));
      env.putAll(aws.sdkEnvironment());
      env.put("SCALER_STATE_TABLE", LocalAws.TABLE);
      env.put("SCALER_PARAMETER_PATH", "/handler-beat-jvm");
      env.put("SCALER_METRICS_NAMESPACE", "BeatScaler");
      env.put("AWS_XRAY_DAEMON_ADDRESS", xray.address());
      env.put("LAMBDA_TASK_ROOT", "/var/task");
      env.put(
          "_X_AMZN_TRACE_ID",
          "Root=1-6566f1b0-00112233445566778899aabc;Parent=0f1e2d3c4b5a6979;Sampled=1");
      Path out = Files.createTempFile("lambda", ".out");
      Path err = Files.createTempFile("lambda", ".err");
      Process lambda =
          builder
              .redirectInput(Path.of("src/test/resources/events/scheduled-event.json").toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(lambda.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(lambda.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();

      List<JsonNode> beats =
          emfLines(Files.readString(out, StandardCharsets.UTF_8)).stream()
              .filter(line -> line.has("CyclesCompleted"))
              .toList();
      assertThat(beats).hasSize(1);
      assertThat(beats.get(0).at("/_aws/CloudWatchMetrics/0/Namespace").asText())
          .as("SCALER_METRICS_NAMESPACE, as the per-target metrics")
          .isEqualTo("BeatScaler");
    }
  }
}
