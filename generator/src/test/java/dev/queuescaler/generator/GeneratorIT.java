package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FakeAwsServer;
import dev.queuescaler.testsupport.LambdaInvocation;
import dev.queuescaler.testsupport.OtlpReceiver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The generator against ElasticMQ, against an SQS fake that rejects entries, and as a process. */
class GeneratorIT {

  private static ElasticMq sqsServer;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    sqsServer = new ElasticMq();
    sqs = client(sqsServer.endpoint());
  }

  @AfterAll
  static void stop() {
    sqs.close();
    sqsServer.close();
  }

  static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
        .build();
  }

  private static Generator generator(SqsClient client) {
    return new Generator(client, GeneratorTracing.xray("127.0.0.1:2000"), Clock.systemUTC());
  }

  private static long visible(String queueUrl) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  @Test
  void sendsEveryMessageInBatchesOfTen() {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-count")).queueUrl();

    SendSummary summary;
    try (Generator generator = generator(client(sqsServer.endpoint()))) {
      summary =
          generator.generate(
              new GenerateRequest(queueUrl, 253, Optional.empty(), 300, 5, 0, Optional.of(1L)));
    }

    assertThat(summary.sent()).isEqualTo(253);
    assertThat(summary.failed()).isZero();
    assertThat(visible(queueUrl)).isEqualTo(253);
    String body = sqs.receiveMessage(r -> r.queueUrl(queueUrl)).messages().get(0).body();
    assertThat(body).hasSize(300).contains("\"workMillis\":5");
  }

  /** SQS that rejects some entries of a batch the first time, as SendMessageBatch may. */
  static final class FlakySqs extends FakeAwsServer {
    final Set<String> bodiesSeen = new HashSet<>();
    final List<Integer> batchSizes = new ArrayList<>();

    FlakySqs() {
      on("SendMessageBatch", this::send);
    }

    private synchronized Reply send(JsonNode request) {
      ObjectNode response = JSON.createObjectNode();
      ArrayNode ok = response.putArray("Successful");
      ArrayNode failed = response.putArray("Failed");
      batchSizes.add(request.path("Entries").size());
      for (JsonNode entry : request.path("Entries")) {
        String id = entry.path("Id").asText();
        boolean firstTime = bodiesSeen.add(entry.path("MessageBody").asText());
        if (firstTime && (id.equals("3") || id.equals("7"))) {
          failed.addObject().put("Id", id).put("Code", "InternalError").put("SenderFault", false);
        } else if (entry.path("MessageBody").asText().contains("never")) {
          failed
              .addObject()
              .put("Id", id)
              .put("Code", "InvalidMessageContents")
              .put("SenderFault", true);
        } else {
          ok.addObject()
              .put("Id", id)
              .put("MessageId", id)
              .put("MD5OfMessageBody", md5(entry.path("MessageBody").asText()));
        }
      }
      return Reply.ok(response.toString());
    }
  }

  /** The SDK checks each accepted body's MD5, as SQS returns it. */
  private static String md5(String body) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("MD5")
              .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void entriesThatFailAreRetriedAndCounted() {
    try (FlakySqs flaky = new FlakySqs();
        Generator generator = generator(client(flaky.endpoint()))) {
      SendSummary summary =
          generator.generate(
              new GenerateRequest(
                  "http://127.0.0.1/1/flaky", 40, Optional.empty(), 200, 0, 0, Optional.of(3L)));

      assertThat(summary.sent()).isEqualTo(40);
      assertThat(summary.failed()).isZero();
      assertThat(flaky.batchSizes).contains(10).contains(2);
      assertThat(flaky.calls("SendMessageBatch")).hasSize(8);
    }
  }

  @Test
  void theLambdaHandlerSendsWhatTheEventAsksAndReturnsTheSummary() throws Exception {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-lambda")).queueUrl();
    GeneratorHandler handler =
        new GeneratorHandler(generator(client(sqsServer.endpoint())), Optional.of(queueUrl));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler.handleRequest(
        new ByteArrayInputStream(
            "{\"count\": 42, \"bodyBytes\": 512, \"workMillis\": 7}".getBytes()),
        out,
        null);

    assertThat(out.toString()).matches("\\{\"sent\":42,\"failed\":0,\"millis\":\\d+}");
    assertThat(visible(queueUrl)).isEqualTo(42);
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream("{\"count\": -1}".getBytes()),
                    new ByteArrayOutputStream(),
                    null))
        .hasMessageContaining("count must be between 0 and 1000000");
    assertThat(visible(queueUrl)).isEqualTo(42);
  }

  /**
   * The event takes bodies up to SQS's 1 MiB (docs/worker.md), but a SendMessageBatch call takes no
   * more than that in all, the same as one message: ten bodies of 200,000 bytes are one call too
   * long, and ten of 1,048,576 bytes ten times so: SQS refuses such a call whole, so each call
   * takes only the bodies that fit.
   */
  @Test
  void theLambdaHandlerSendsBodiesUpToTheSqsLimitThoughTenDoNotFitOneCall() throws Exception {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-big-bodies")).queueUrl();
    GeneratorHandler handler =
        new GeneratorHandler(generator(client(sqsServer.endpoint())), Optional.of(queueUrl));

    String tenthsOfTheLimit =
        invoke(handler, "{\"count\": 12, \"bodyBytes\": 200000, \"workMillis\": 0}");
    String atTheLimit =
        invoke(handler, "{\"count\": 2, \"bodyBytes\": 1048576, \"workMillis\": 0}");

    assertThat(tenthsOfTheLimit).matches("\\{\"sent\":12,\"failed\":0,\"millis\":\\d+}");
    assertThat(atTheLimit).matches("\\{\"sent\":2,\"failed\":0,\"millis\":\\d+}");
    assertThat(visible(queueUrl)).isEqualTo(14);
  }

  /**
   * A queue URL with a typo (the event's queueUrl, or QUEUE_URL) names a queue that does not exist:
   * SQS refuses every call the same way, as it does for a queue the function may not send to. The
   * invocation should fail with SQS's reason, the queue and what was sent, not answer as if SQS had
   * merely rejected some messages.
   */
  @Test
  void anEventNamingAQueueThatDoesNotExistFailsTheInvocationSayingSo() {
    String missing = sqsServer.endpoint() + "/000000000000/gen-no-such-queue";
    GeneratorHandler handler =
        new GeneratorHandler(generator(client(sqsServer.endpoint())), Optional.empty());

    assertThatThrownBy(() -> invoke(handler, "{\"count\": 20, \"queueUrl\": \"" + missing + "\"}"))
        .hasMessageContaining(missing)
        .hasMessageContaining("0 of 20 sent")
        .hasRootCauseInstanceOf(QueueDoesNotExistException.class);
  }

  /**
   * A scheduled invocation's result is read by no one: when SQS rejects messages for good, the
   * function's log says how many and SQS's reason, and the result keeps its three fields.
   */
  @Test
  void theLambdaHandlerLogsHowManyMessagesSqsRejectedAndWhy() throws Exception {
    try (FakeAwsServer rejecting = new FakeAwsServer();
        Generator generator = generator(client(rejecting.endpoint()))) {
      rejecting.on(
          "SendMessageBatch",
          request -> {
            ObjectNode response =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            response.putArray("Successful");
            ArrayNode failed = response.putArray("Failed");
            request
                .path("Entries")
                .forEach(
                    entry ->
                        failed
                            .addObject()
                            .put("Id", entry.path("Id").asText())
                            .put("Code", "InvalidMessageContents")
                            .put("Message", "Invalid characters in the body")
                            .put("SenderFault", true));
            return FakeAwsServer.Reply.ok(response.toString());
          });
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      GeneratorHandler handler =
          new GeneratorHandler(
              generator,
              Optional.of("http://127.0.0.1/1/rejecting"),
              new PrintStream(log, true, StandardCharsets.UTF_8));

      String result = invoke(handler, "{\"count\": 15, \"workMillis\": 0}");

      assertThat(result).matches("\\{\"sent\":0,\"failed\":15,\"millis\":\\d+}");
      assertThat(log.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "generator: 15 of 15 messages not sent; the last failure: SQS rejected an entry:"
                  + " InvalidMessageContents (Invalid characters in the body)"
                  + System.lineSeparator());
    }
  }

  /**
   * Lambda ends an invocation at the function's timeout without its summary, and tries an
   * asynchronous one (the schedule's) again, so the messages already sent would go again: with less
   * time left than the sending takes, the invocation starts no batch once only the reserve is left,
   * and returns what it sent, counting the rest as failed and saying why.
   */
  @Test
  void anInvocationRunningOutOfTimeStopsStartingBatchesAndStillReturnsItsSummary()
      throws Exception {
    try (FakeAwsServer slow = new FakeAwsServer();
        Generator generator = generator(client(slow.endpoint()))) {
      slow.on(
          "SendMessageBatch",
          request -> {
            try {
              Thread.sleep(600);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return acceptEvery(request);
          });
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      GeneratorHandler handler =
          new GeneratorHandler(
              generator,
              Optional.of("http://127.0.0.1/1/slow"),
              new PrintStream(log, true, StandardCharsets.UTF_8));
      long remaining = GeneratorHandler.RESERVE.plusSeconds(1).toMillis();
      ByteArrayOutputStream out = new ByteArrayOutputStream();

      handler.handleRequest(
          new ByteArrayInputStream("{\"count\": 200, \"workMillis\": 0}".getBytes()),
          out,
          new LambdaInvocation("generator", (int) remaining));

      java.util.regex.Matcher summary =
          java.util.regex.Pattern.compile("\\{\"sent\":(\\d+),\"failed\":(\\d+),\"millis\":\\d+}")
              .matcher(out.toString(StandardCharsets.UTF_8));
      assertThat(summary.matches()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
      long sent = Long.parseLong(summary.group(1));
      long failed = Long.parseLong(summary.group(2));
      assertThat(sent).as("the first calls, started in time").isPositive();
      assertThat(failed).as("the batches that would start past the time").isPositive();
      assertThat(sent + failed).isEqualTo(200);
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains(failed + " of 200 messages not sent")
          .contains("the time to send ran out");
    }
  }

  /** SendMessageBatch's answer when SQS takes every entry. */
  private static FakeAwsServer.Reply acceptEvery(JsonNode request) {
    ObjectNode response = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    ArrayNode ok = response.putArray("Successful");
    response.putArray("Failed");
    request
        .path("Entries")
        .forEach(
            entry ->
                ok.addObject()
                    .put("Id", entry.path("Id").asText())
                    .put("MessageId", entry.path("Id").asText())
                    .put("MD5OfMessageBody", md5(entry.path("MessageBody").asText())));
    return FakeAwsServer.Reply.ok(response.toString());
  }

  /**
   * A queue encrypted with a KMS key answers 400 KmsThrottled while KMS throttles SQS's data key
   * requests: a client error by its status, but one that passes, which the SDK does not retry. It
   * is no refusal for good: the batch is tried again and the run goes on.
   */
  @Test
  void aBatchThatKmsThrottlesIsTriedAgainNotTakenForARefusal() {
    try (FlakySqs kmsThrottledOnce = new FlakySqs();
        Generator generator = generator(client(kmsThrottledOnce.endpoint()))) {
      AtomicInteger calls = new AtomicInteger();
      kmsThrottledOnce.on(
          "SendMessageBatch",
          request ->
              calls.getAndIncrement() == 0
                  ? FakeAwsServer.Reply.error(
                      400, "KmsThrottled", "KMS throttled the data key request")
                  : kmsThrottledOnce.send(request));

      SendSummary summary =
          generator.generate(
              new GenerateRequest(
                  "http://127.0.0.1/1/encrypted",
                  10,
                  Optional.empty(),
                  200,
                  0,
                  0,
                  Optional.of(5L)));

      assertThat(summary.sent()).isEqualTo(10);
      assertThat(summary.failed()).isZero();
    }
  }

  /**
   * A function without sqs:SendMessage on the queue: SQS answers every call 403. Each batch was
   * tried three times, 0.2 s and 0.3 s apart, and the next batches the same: a refusal that no
   * retry changes should end the sending after the calls already in flight.
   */
  @Test
  void aCallSqsRefusesForGoodIsNotRepeatedByTheBatchesAfterIt() {
    try (FakeAwsServer forbidding = new FakeAwsServer()) {
      forbidding.on(
          "SendMessageBatch",
          request ->
              FakeAwsServer.Reply.error(
                  403, "AccessDenied", "not authorized to perform sqs:SendMessage"));
      GeneratorHandler handler =
          new GeneratorHandler(
              generator(client(forbidding.endpoint())),
              Optional.of("http://127.0.0.1/1/forbidden"));

      assertThatThrownBy(() -> invoke(handler, "{\"count\": 400, \"workMillis\": 0}"))
          .hasMessageContaining("http://127.0.0.1/1/forbidden")
          .hasMessageContaining("AccessDenied")
          .hasMessageContaining("0 of 400 sent");
      assertThat(forbidding.calls("SendMessageBatch"))
          .as("one call per batch already in flight, none after")
          .hasSizeLessThanOrEqualTo(Generator.CALLS_IN_FLIGHT);
    }
  }

  @Test
  void theCliSaysWhySqsRefusedAQueueThatDoesNotExist() throws Exception {
    String missing = sqsServer.endpoint() + "/000000000000/gen-cli-no-such-queue";

    Process run = cli("--queue-url", missing, "--count", "20", "--work-millis", "0");

    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.exitValue()).as(stderr).isEqualTo(1);
    assertThat(stderr).contains(missing).contains("0 of 20 sent");
  }

  /** The handler's answer to {@code event}. */
  private static String invoke(GeneratorHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theCliPrintsTheSummaryAndRejectsBadArguments() throws Exception {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-cli")).queueUrl();

    Process ok = cli("--queue-url", queueUrl, "--count", "35", "--work-millis", "0");
    assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(ok.getInputStream().readAllBytes()).trim();
    assertThat(ok.exitValue()).isZero();
    assertThat(stdout).matches("\\{\"sent\":35,\"failed\":0,\"millis\":\\d+}");
    assertThat(visible(queueUrl)).isEqualTo(35);

    Process bad = cli("--queue-url", queueUrl, "--count", "1", "--body-bytes", "2000000");
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(new String(bad.getErrorStream().readAllBytes()))
        .contains("bodyBytes must be between");

    Process missing = cli("--count", "1");
    assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(missing.exitValue()).isEqualTo(2);
    assertThat(new String(missing.getErrorStream().readAllBytes())).contains("--queue-url");
    assertThat(visible(queueUrl)).isEqualTo(35);
  }

  @Test
  void withOpenTelemetryTheCliExportsItsSpansAndEachMessageCarriesItsBatchsSpan() throws Exception {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-otel")).queueUrl();
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      Process run =
          cli(
              Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()),
              "--queue-url",
              queueUrl,
              "--count",
              "15",
              "--work-millis",
              "0");
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(new String(run.getErrorStream().readAllBytes())).isZero();

      // Sent before the process ended: nothing waits for a receiver that was not asked again.
      OtlpReceiver.ReceivedSpan root =
          otlp.await(s -> s.name().equals(GeneratorTracing.CLI_SEGMENT), Duration.ZERO);
      assertThat(root.serviceName()).isEqualTo("queue-generator");
      List<OtlpReceiver.ReceivedSpan> batches =
          otlp.spans().stream().filter(s -> s.name().equals("send-batch")).toList();
      assertThat(batches)
          .hasSize(2)
          .allSatisfy(b -> assertThat(b.parentSpanId()).contains(root.spanId()));
      assertThat(otlp.spans())
          .filteredOn(s -> s.name().equals("Sqs.SendMessageBatch"))
          .hasSize(2)
          .allSatisfy(
              call ->
                  assertThat(batches.stream().map(OtlpReceiver.ReceivedSpan::spanId))
                      .contains(call.parentSpanId().orElseThrow()));
      Set<String> headers = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        sqs.receiveMessage(
                r ->
                    r.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER))
            .messages()
            .forEach(
                m -> headers.add(m.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER)));
      }
      assertThat(headers)
          .as("one header per batch: the X-Ray format, naming the batch's span")
          .containsExactlyInAnyOrderElementsOf(
              batches.stream()
                  .map(b -> "Root=" + b.xrayTraceId() + ";Parent=" + b.spanId() + ";Sampled=1")
                  .toList());
      assertThat(otlp.rejected()).isEmpty();
    }
  }

  @Test
  void theLambdaWithOpenTelemetrySendsItsSpansUnderTheFunctionsSegmentBeforeReturning()
      throws Exception {
    String queueUrl = sqs.createQueue(q -> q.queueName("gen-lambda-otel")).queueUrl();
    String root = "1-6566f1b0-00112233445566778899aabb";
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      GeneratorHandler handler =
          new GeneratorHandler(
              new Generator(
                  client(sqsServer.endpoint()),
                  GeneratorTracing.chosen(
                      Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())),
                  Clock.systemUTC()),
              Optional.of(queueUrl));
      // What the Java runtime sets for each invocation.
      System.setProperty(
          OtelPipeline.LAMBDA_TRACE_PROPERTY,
          "Root=" + root + ";Parent=0f1e2d3c4b5a6978;Sampled=1");
      try {
        handler.handleRequest(
            new ByteArrayInputStream("{\"count\": 12}".getBytes()),
            new ByteArrayOutputStream(),
            null);
      } finally {
        System.clearProperty(OtelPipeline.LAMBDA_TRACE_PROPERTY);
      }

      // No wait: the batch's five-second schedule has not come, the handler's flush sent them.
      assertThat(otlp.spans()).extracting(OtlpReceiver.ReceivedSpan::name).contains("generate");
      OtlpReceiver.ReceivedSpan invocation =
          otlp.await(s -> s.name().equals("generate"), Duration.ZERO);
      assertThat(invocation.xrayTraceId()).isEqualTo(root);
      assertThat(invocation.parentSpanId()).contains("0f1e2d3c4b5a6978");
      assertThat(otlp.spans())
          .filteredOn(s -> s.name().equals("send-batch"))
          .hasSize(2)
          .allSatisfy(b -> assertThat(b.parentSpanId()).contains(invocation.spanId()));
    }
  }

  @Test
  void theJarWithoutARegionNamesAwsRegionAndExitsTwo() throws Exception {
    Path config = Files.createTempFile("no-region", ".config");
    ProcessBuilder builder =
        new ProcessBuilder(
            "java",
            "-jar",
            System.getProperty("generator.jar", "target/generator.jar"),
            "--queue-url",
            "http://localhost:9324/000000000000/q",
            "--count",
            "1");
    builder.environment().remove("AWS_REGION");
    builder.environment().remove("AWS_DEFAULT_REGION");
    // Neither the AWS config file nor the instance metadata gives one here.
    builder.environment().put("AWS_CONFIG_FILE", config.toString());
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    Process process = builder.start();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr.strip())
        .isEqualTo("generator: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1)");
  }

  /**
   * A CLI run whose calls never reach SQS, because there are no credentials or SQS's endpoint does
   * not answer, would fail every call the same way on every retry: it stops after the first batches
   * and says the SDK's reason on stderr, as it does for a refusal SQS answers, so the operator can
   * tell a missing key from a rejected message.
   */
  @Test
  void aCliRunWhoseCallsNeverReachSqsSaysWhyOnStderr() throws Exception {
    Path config = Files.createTempFile("no-credentials", ".config");
    ProcessBuilder builder =
        new ProcessBuilder(
            "java",
            "-jar",
            System.getProperty("generator.jar", "target/generator.jar"),
            "--queue-url",
            sqsServer.endpoint() + "/000000000000/gen-cli-no-credentials",
            "--count",
            "20",
            "--work-millis",
            "0");
    builder.environment().remove("AWS_ACCESS_KEY_ID");
    builder.environment().remove("AWS_SECRET_ACCESS_KEY");
    builder.environment().remove("AWS_SESSION_TOKEN");
    builder.environment().remove("AWS_PROFILE");
    builder.environment().put("AWS_CONFIG_FILE", config.toString());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", config.toString());
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    builder.environment().put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
    Process run = builder.start();

    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.exitValue()).as(stdout + stderr).isNotZero();
    assertThat(stderr)
        .as("stdout: " + stdout)
        .containsIgnoringCase("credentials")
        .contains("never reached SQS")
        .contains("0 of 20 sent, the rest not");
  }

  private static Process cli(String... args) throws Exception {
    return cli(Map.of(), args);
  }

  private static Process cli(Map<String, String> env, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("generator.jar", "target/generator.jar"));
    assertThat(Files.exists(jar)).as(jar + " exists").isTrue();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
    builder.environment().putAll(env);
    return builder.start();
  }
}
