package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

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
        harness.prefix());
  }

  @Test
  void aParameterStoreChangeEventMakesTheNextCycleReadThePrefixAgain() throws Exception {
    String queueUrl = aws.createQueue("handler-change");
    aws.service("handler-change-svc", 0);
    aws.putTarget(
        "/handler-change",
        "orders",
        queueUrl,
        "handler-change-svc",
        Map.of("backlog-per-task", "10", "max-tasks", "2"));
    aws.send(queueUrl, 100);

    try (ScalerHarness harness = ScalerHarness.withCachedParameters(aws, "/handler-change")) {
      ScalerHandler handler = handler(harness);
      invoke(handler, "{}");
      assertThat(aws.desired("handler-change-svc")).isEqualTo(2);

      aws.putParameter("/handler-change/orders/max-tasks", "4");
      harness.clock.advance(Duration.ofSeconds(60));
      invoke(handler, "{}");
      assertThat(aws.desired("handler-change-svc"))
          .as("no change event yet: the cached prefix")
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
                      .handleRequest(fixture(), new ByteArrayOutputStream(), new TimeLeft(10_000)))
          .isInstanceOf(ScalingCycleFailedException.class)
          .hasMessageContaining("orders: skipped");
      assertThat(aws.desired("handler-late-svc")).isZero();

      handler(harness).handleRequest(fixture(), new ByteArrayOutputStream(), new TimeLeft(49_000));
      assertThat(aws.desired("handler-late-svc")).isEqualTo(3);
    }
  }

  /** The part of the Lambda context the handler reads: the time left. */
  private record TimeLeft(int millis) implements com.amazonaws.services.lambda.runtime.Context {
    @Override
    public int getRemainingTimeInMillis() {
      return millis;
    }

    @Override
    public String getAwsRequestId() {
      return "request-1";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/scaler";
    }

    @Override
    public String getLogStreamName() {
      return "stream";
    }

    @Override
    public String getFunctionName() {
      return "scaler";
    }

    @Override
    public String getFunctionVersion() {
      return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:scaler:live";
    }

    @Override
    public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
      return null;
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
}
