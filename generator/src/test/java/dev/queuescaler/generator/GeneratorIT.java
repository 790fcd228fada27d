package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FakeAwsServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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
    return new Generator(
        client,
        new GeneratorTracing(GeneratorTracing.recorder("127.0.0.1:2000")),
        Clock.systemUTC());
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
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    handler.handleRequest(
        new java.io.ByteArrayInputStream(
            "{\"count\": 42, \"bodyBytes\": 512, \"workMillis\": 7}".getBytes()),
        out,
        null);

    assertThat(out.toString()).matches("\\{\"sent\":42,\"failed\":0,\"millis\":\\d+}");
    assertThat(visible(queueUrl)).isEqualTo(42);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new java.io.ByteArrayInputStream("{\"count\": -1}".getBytes()),
                    new java.io.ByteArrayOutputStream(),
                    null))
        .hasMessageContaining("count must be between 0 and 1000000");
    assertThat(visible(queueUrl)).isEqualTo(42);
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

  private static Process cli(String... args) throws Exception {
    Path jar = Path.of(System.getProperty("generator.jar", "target/generator.jar"));
    assertThat(Files.exists(jar)).as(jar + " exists").isTrue();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
    return builder.start();
  }
}
