package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.aws.IdleCheckMessages;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.LambdaInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler given the checks queue's SQS event: a check reads the idle targets' queues and scales
 * only those that filled; anything on that queue that is not a valid check is rejected whole, and
 * nothing is read or scaled.
 */
class IdleCheckInvocationIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalAws aws;

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final ByteArrayOutputStream heartbeats = new ByteArrayOutputStream();

  @BeforeAll
  static void startServers() {
    aws = LocalAws.withMoto();
  }

  @AfterAll
  static void stopServers() {
    aws.close();
  }

  @BeforeEach
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

  /** The checks queue's event to the function, one record a body. */
  private static ByteArrayInputStream sqsEvent(String... bodies) {
    ObjectNode event = JSON.createObjectNode();
    int id = 0;
    for (String body : bodies) {
      event
          .withArray("Records")
          .addObject()
          .put("messageId", "m" + id++)
          .put("eventSource", "aws:sqs")
          .put("eventSourceARN", "arn:aws:sqs:eu-west-1:123456789012:scaler-checks")
          .put("body", body);
    }
    return new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A target with messages waiting, as a cycle would scale out. */
  private String targetWithMessages(String prefix, String name) {
    String queueUrl = aws.createQueue(name);
    aws.service(name + "-svc", 0);
    aws.putTarget(prefix, name, queueUrl, name + "-svc", Map.of());
    aws.send(queueUrl, 5);
    return queueUrl;
  }

  @Test
  void aCheckEventScalesOutTheTargetWhoseQueueFilled() throws Exception {
    try (ScalerHarness harness = new ScalerHarness(aws, "/check-ok")) {
      String queueUrl = targetWithMessages("/check-ok", "filled");
      IdleCheck check =
          new IdleCheck(
              harness.clock.instant().minusSeconds(15),
              Duration.ofSeconds(15),
              List.of(
                  new IdleCheck.Target(new TargetName("filled"), queueUrl, BacklogRules.DEFAULTS)));
      ByteArrayOutputStream response = new ByteArrayOutputStream();

      handler(harness).handleRequest(sqsEvent(IdleCheckMessages.encode(check)), response, null);

      assertThat(aws.desired("filled-svc")).isEqualTo(1);
      assertThat(JSON.readTree(response.toByteArray()).path("scalingActions").asInt()).isOne();
      assertThat(heartbeats.size()).as("the heartbeat is the scheduled cycles'").isZero();
    }
  }

  /**
   * deploy.md: a check decides the targets whose queue filled "as a follow-up sample (never a
   * scale-in)". Between the scheduled invocation that saw the target idle (no task, empty queue)
   * and its check, the service's count was raised outside the scaler (a redeploy of the service's
   * stack, an operator): the check that then sees one message must not take tasks away.
   */
  @Test
  void aCheckNeverScalesIn() throws Exception {
    try (ScalerHarness harness = new ScalerHarness(aws, "/check-in")) {
      String queueUrl = aws.createQueue("raised");
      aws.service("raised-svc", 0);
      aws.putTarget("/check-in", "raised", queueUrl, "raised-svc", Map.of());
      IdleCheck check =
          new IdleCheck(
              harness.clock.instant().minusSeconds(15),
              Duration.ofSeconds(15),
              List.of(
                  new IdleCheck.Target(new TargetName("raised"), queueUrl, BacklogRules.DEFAULTS)));
      aws.service("raised-svc", 4);
      aws.send(queueUrl, 1);

      handler(harness)
          .handleRequest(
              sqsEvent(IdleCheckMessages.encode(check)), new ByteArrayOutputStream(), null);

      assertThat(harness.decisionLines())
          .extracting(line -> line.path("action").asText())
          .doesNotContain("SCALE_IN");
      assertThat(aws.desired("raised-svc")).isEqualTo(4);
    }
  }

  /**
   * deploy.md: while the scheduled invocation runs anyway, an idle target's queue is read again at
   * 15, 30 and 45 s, and "a queue that shows messages is decided at once as usual (a scale-out from
   * zero)". Through the handler as deployed: the function's timeout (FunctionTimeout, 100 s), the
   * handler starting 400 ms into it. Its deadline is the time left less the spans' 2 s flush, and a
   * round takes samples only while two calls at their worst (20 s each), the 2 s margin and
   * ACT_LEAD's 1 s are left: at 90 s the round stopped at 45 s exactly, before its own start, and
   * neither this read's message nor busy's sample was decided.
   */
  @Test
  void anIdleQueueThatFillsBeforeFortyFiveSecondsIsScaledOutAtFortyFiveSeconds() throws Exception {
    try (ScalerHarness harness = new ScalerHarness(aws, "/check-45")) {
      targetWithMessages("/check-45", "busy");
      String quietQueue = aws.createQueue("quiet45");
      aws.service("quiet45-svc", 0);
      aws.putTarget("/check-45", "quiet45", quietQueue, "quiet45-svc", Map.of());
      java.time.Instant start = harness.clock.instant();
      java.util.concurrent.atomic.AtomicBoolean arrived =
          new java.util.concurrent.atomic.AtomicBoolean();
      // The first message comes 40 s into the minute, while busy keeps the invocation alive.
      harness.onPause(
          now -> {
            if (!now.isBefore(start.plusSeconds(40)) && !arrived.getAndSet(true)) {
              aws.send(quietQueue, 1);
            }
          });

      handler(harness)
          .handleRequest(
              new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
              new ByteArrayOutputStream(),
              new LambdaInvocation("scaler", (int) FunctionTimeout.DEPLOYED.toMillis() - 400));

      assertThat(arrived).as("the message came during the invocation").isTrue();
      assertThat(aws.desired("quiet45-svc")).as("scaled out at the 45 s read").isEqualTo(1);
    }
  }

  @Test
  void aMalformedCheckMessageIsRejectedAndScalesNothing() {
    try (ScalerHarness harness = new ScalerHarness(aws, "/check-bad")) {
      String queueUrl = targetWithMessages("/check-bad", "waiting");
      String valid =
          IdleCheckMessages.encode(
              new IdleCheck(
                  harness.clock.instant(),
                  Duration.ofSeconds(15),
                  List.of(
                      new IdleCheck.Target(
                          new TargetName("waiting"), queueUrl, BacklogRules.DEFAULTS))));
      String badOffset = valid.replace("\"offsetSeconds\":15", "\"offsetSeconds\":600");

      assertThatThrownBy(
              () ->
                  handler(harness)
                      .handleRequest(sqsEvent(valid, badOffset), new ByteArrayOutputStream(), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("check message m1")
          .hasMessageContaining("1-59 s");
      assertThat(harness.decisionLines()).as("no target decided").isEmpty();
      assertThat(aws.desired("waiting-svc")).isZero();
      assertThat(logs.toString(StandardCharsets.UTF_8))
          .contains("rejected idle check, nothing read or scaled");
    }
  }

  @Test
  void aMessageOnTheQueueThatIsNoCheckRunsNoCycle() {
    try (ScalerHarness harness = new ScalerHarness(aws, "/check-other")) {
      targetWithMessages("/check-other", "other");

      assertThatThrownBy(
              () ->
                  handler(harness)
                      .handleRequest(
                          sqsEvent("{\"target\":\"other\"}"), new ByteArrayOutputStream(), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not all idle checks");
      assertThat(harness.decisionLines()).isEmpty();
      assertThat(aws.desired("other-svc")).isZero();
    }
  }
}
