package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.LambdaInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The generator Lambda keeps 25 s of each invocation back. A function whose timeout leaves less
 * than that (someone lowered it) sends nothing, on every invocation, at once: the log line must say
 * so, rather than that "the time to send ran out" of an invocation that sent for 0 ms.
 */
class GeneratorShortTimeoutIT {

  @Test
  void anInvocationWithLessTimeThanTheReserveSaysThatTheFunctionTimeoutIsTooShort()
      throws Exception {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-short-timeout")).queueUrl();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (Generator generator =
          new Generator(
              GeneratorIT.client(server.endpoint()),
              GeneratorTracing.xray("127.0.0.1:2000"),
              Clock.systemUTC())) {
        GeneratorHandler handler =
            new GeneratorHandler(
                generator,
                Optional.of(queueUrl),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        // A function timeout of 20 s: the invocation begins with 20 s left.
        handler.handleRequest(
            new ByteArrayInputStream(
                "{\"count\": 10, \"workMillis\": 0}".getBytes(StandardCharsets.UTF_8)),
            out,
            new LambdaInvocation("generator", 20_000));
      }

      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"sent\":0,\"failed\":10,");
      assertThat(log.toString(StandardCharsets.UTF_8))
          .as("the reason names the 25 s the invocation keeps back, not a send that ran long")
          .contains("25 s");
    }
  }
}
