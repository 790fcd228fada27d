package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.OtlpReceiver;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The handler as Lambda runs it (its own JVM, LAMBDA_TASK_ROOT and _X_AMZN_TRACE_ID set, the real
 * public constructor): the cycle's spans hang under the function's segment, with either tracer.
 */
class ScalerLambdaTraceIT {

  private static final String ROOT = "1-6566f1b0-00112233445566778899aabb";
  private static final String FUNCTION_SEGMENT = "0f1e2d3c4b5a6978";

  /**
   * The cycle's children, in order: the cycle's lease read (its clock checked against DynamoDB's)
   * and taken, the SSM read, the last valid configurations' read and (new to the table) write, the
   * waiting targets' read, the round's services in one batch, one decide per target and an act per
   * change, the round's decision events in one batch (no wait to store), the lease given back.
   */
  private static final List<String> CYCLE_CHILDREN =
      List.of(
          // The lease: its read and its write.
          "DynamoDb",
          "DynamoDb",
          // The parameter read model (empty): its control item, the recorded changes, the
          // walk's one page, then the shard's version, the shard, and the cursor.
          "DynamoDb",
          "DynamoDb",
          "Ssm",
          "DynamoDb",
          "DynamoDb",
          "DynamoDb",
          // The target: its last valid configuration read and stored, its state, the service.
          "DynamoDb",
          "DynamoDb",
          "DynamoDb",
          "Ecs",
          // The policy's decision (state and queue read), then its action (state stored, update).
          "decide",
          "act",
          "EventBridge",
          "DynamoDb");

  /** One scheduled invocation in a JVM of its own; the process ends as soon as it returns. */
  private static void invoke(LocalAws aws, String prefix, Map<String, String> tracing)
      throws Exception {
    String queueUrl = aws.createQueue(prefix.substring(1));
    aws.service(prefix.substring(1) + "-svc", 0);
    // Sampled once: the real handler in its own JVM waits in real time between samples.
    aws.putTarget(
        prefix,
        "orders",
        queueUrl,
        prefix.substring(1) + "-svc",
        Map.of("sample-interval-seconds", "60"));
    aws.send(queueUrl, 150);
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
    env.keySet()
        .removeIf(k -> k.startsWith("AWS_") || k.startsWith("SCALER_") || k.startsWith("OTEL_"));
    env.putAll(aws.sdkEnvironment());
    env.put("SCALER_STATE_TABLE", LocalAws.TABLE);
    env.put("SCALER_PARAMETER_PATH", prefix);
    env.put("LAMBDA_TASK_ROOT", "/var/task");
    env.put("_X_AMZN_TRACE_ID", "Root=" + ROOT + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    env.putAll(tracing);
    Path err = Files.createTempFile("lambda", ".err");
    Process lambda =
        builder
            .redirectInput(Path.of("src/test/resources/events/scheduled-event.json").toFile())
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(lambda.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lambda.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
    assertThat(aws.desired(prefix.substring(1) + "-svc")).isEqualTo(2);
  }

  @Test
  void theCycleHangsUnderTheFunctionsSegmentWithTheDecisionAnnotations() throws Exception {
    try (LocalAws aws = LocalAws.withMoto();
        XRayDaemonListener xray = new XRayDaemonListener()) {
      List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
      xray.onDocument(received::add);
      invoke(aws, "/lambda-trace", Map.of("AWS_XRAY_DAEMON_ADDRESS", xray.address()));

      JsonNode cycle =
          xray.await(d -> d.path("name").asText().equals("scaling-cycle"), Duration.ofSeconds(10));
      assertThat(cycle.path("trace_id").asText()).isEqualTo(ROOT);
      assertThat(cycle.path("parent_id").asText()).isEqualTo(FUNCTION_SEGMENT);
      List<String> children = new ArrayList<>();
      JsonNode decide = null;
      for (JsonNode child : childrenOf(cycle, received)) {
        children.add(child.path("name").asText());
        if (child.path("name").asText().equals("decide")) {
          decide = child;
        }
      }
      assertThat(children).containsExactlyElementsOf(CYCLE_CHILDREN);
      assertThat(decide.at("/annotations/action").asText()).isEqualTo("SCALE_OUT");
      assertThat(decide.at("/annotations/desired").asInt()).isEqualTo(2);
    }
  }

  /**
   * The children of {@code entity} in the order they started: those the SDK sent in documents of
   * their own as they ended (XRayTracing streams the Lambda's cycle), and those left in it.
   */
  private static List<JsonNode> childrenOf(JsonNode entity, List<JsonNode> received) {
    String id = entity.path("id").asText();
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    synchronized (received) {
      for (JsonNode document : received) {
        if (document.path("parent_id").asText().equals(id)) {
          byId.putIfAbsent(document.path("id").asText(), document);
        }
      }
    }
    for (JsonNode child : entity.path("subsegments")) {
      byId.putIfAbsent(child.path("id").asText(), child);
    }
    List<JsonNode> children = new ArrayList<>(byId.values());
    children.sort(Comparator.comparingDouble(child -> child.path("start_time").asDouble()));
    return children;
  }

  @Test
  void withOpenTelemetryTheSameSpansLeaveBeforeTheInvocationReturns() throws Exception {
    try (LocalAws aws = LocalAws.withMoto();
        OtlpReceiver otlp = new OtlpReceiver()) {
      // The JVM ends right after handleRequest returns, with no shutdown flush: spans that were
      // still batched then would never arrive.
      invoke(
          aws,
          "/lambda-otel",
          Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()));

      OtlpReceiver.ReceivedSpan cycle =
          otlp.await(s -> s.name().equals("scaling-cycle"), Duration.ofSeconds(1));
      assertThat(cycle.xrayTraceId()).isEqualTo(ROOT);
      assertThat(cycle.parentSpanId()).contains(FUNCTION_SEGMENT);
      List<OtlpReceiver.ReceivedSpan> children =
          otlp.spans().stream()
              .filter(s -> s.parentSpanId().equals(java.util.Optional.of(cycle.spanId())))
              .sorted(Comparator.comparingLong(OtlpReceiver.ReceivedSpan::startEpochNanos))
              .toList();
      assertThat(children)
          .extracting(s -> s.attribute("rpc.service").map(Object::toString).orElse(s.name()))
          .containsExactlyElementsOf(CYCLE_CHILDREN);
      OtlpReceiver.ReceivedSpan decide =
          children.stream().filter(s -> s.name().equals("decide")).findFirst().orElseThrow();
      assertThat(decide.attribute("action")).contains("SCALE_OUT");
      assertThat(decide.attribute("desired")).contains(2L);
      assertThat(decide.attribute("aws.xray.annotations").orElseThrow().toString())
          .contains("action", "desired");
      assertThat(otlp.rejected()).isEmpty();
    }
  }
}
