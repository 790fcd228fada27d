package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The handler as Lambda runs it (its own JVM, LAMBDA_TASK_ROOT and _X_AMZN_TRACE_ID set, the real
 * public constructor): the cycle's spans hang under the function's segment.
 */
class ScalerLambdaTraceIT {

  @Test
  void theCycleHangsUnderTheFunctionsSegmentWithTheDecisionAnnotations() throws Exception {
    try (LocalAws aws = LocalAws.withMoto();
        XRayDaemonListener xray = new XRayDaemonListener()) {
      String queueUrl = aws.createQueue("lambda-trace");
      aws.service("lambda-svc", 0);
      // Sampled once: the real handler in its own JVM waits in real time between samples.
      aws.putTarget(
          "/lambda-trace",
          "orders",
          queueUrl,
          "lambda-svc",
          Map.of("sample-interval-seconds", "60"));
      aws.send(queueUrl, 150);
      String root = "1-6566f1b0-00112233445566778899aabb";
      String functionSegment = "0f1e2d3c4b5a6978";

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
      env.put("SCALER_PARAMETER_PATH", "/lambda-trace");
      env.put("AWS_XRAY_DAEMON_ADDRESS", xray.address());
      env.put("LAMBDA_TASK_ROOT", "/var/task");
      env.put("_X_AMZN_TRACE_ID", "Root=" + root + ";Parent=" + functionSegment + ";Sampled=1");
      Path err = Files.createTempFile("lambda", ".err");
      Process lambda =
          builder
              .redirectInput(Path.of("src/test/resources/events/scheduled-event.json").toFile())
              .redirectError(err.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(lambda.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(lambda.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();

      JsonNode cycle =
          xray.await(d -> d.path("name").asText().equals("scaling-cycle"), Duration.ofSeconds(10));
      assertThat(cycle.path("trace_id").asText()).isEqualTo(root);
      assertThat(cycle.path("parent_id").asText()).isEqualTo(functionSegment);
      List<String> children = new java.util.ArrayList<>();
      JsonNode decide = null;
      for (JsonNode child : cycle.path("subsegments")) {
        children.add(child.path("name").asText());
        if (child.path("name").asText().equals("decide")) {
          decide = child;
        }
      }
      assertThat(children)
          .as(
              "the cycle's lease read (its clock checked against DynamoDB's) and taken, the SSM read, the last valid configurations' read and (new"
                  + " to the table) write, the waiting targets' read, the round's services in one"
                  + " batch, one decide per target, the round's decision events in one batch (no"
                  + " wait to store), the lease given back")
          .containsExactly(
              "DynamoDb",
              "DynamoDb",
              "Ssm",
              "DynamoDb",
              "DynamoDb",
              "DynamoDb",
              "Ecs",
              "decide",
              "EventBridge",
              "DynamoDb");
      assertThat(decide.at("/annotations/action").asText()).isEqualTo("SCALE_OUT");
      assertThat(decide.at("/annotations/desired").asInt()).isEqualTo(2);
      assertThat(aws.desired("lambda-svc")).isEqualTo(2);
    }
  }
}
