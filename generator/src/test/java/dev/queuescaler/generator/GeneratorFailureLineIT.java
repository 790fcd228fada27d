package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The failure line says why the messages not sent were not: an entry that failed once and was sent
 * on its retry does not lend its reason to the ones that failed for good.
 */
class GeneratorFailureLineIT {

  @Test
  void theLambdaLogGivesTheReasonOfTheMessagesNotSentNotOfOnesSentOnARetry() throws Exception {
    try (ElasticMq server = new ElasticMq();
        SqsClient direct = GeneratorIT.client(server.endpoint());
        FaultInjectingProxy proxy = new FaultInjectingProxy(server.endpoint())) {
      String queueUrl = direct.createQueue(q -> q.queueName("gen-failure-line")).queueUrl();
      AtomicInteger calls = new AtomicInteger();
      // The first batch is rejected for good; the second fails on SQS's side, later, then passes.
      proxy.rewrite(
          "SendMessageBatch",
          (request, response) -> {
            int call = calls.getAndIncrement();
            if (call > 1) {
              return response;
            }
            String code = call == 0 ? "InvalidMessageContents" : "InternalError";
            if (call == 1) {
              sleep(500);
            }
            ObjectNode answer = (ObjectNode) response.deepCopy();
            answer.putArray("Successful");
            ArrayNode failed = answer.putArray("Failed");
            request
                .path("Entries")
                .forEach(
                    entry ->
                        failed
                            .addObject()
                            .put("Id", entry.path("Id").asText())
                            .put("Code", code)
                            .put("Message", code.equals("InternalError") ? "try again" : "bad body")
                            .put("SenderFault", call == 0));
            return answer;
          });
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      String result;
      try (Generator generator =
          new Generator(
              GeneratorIT.client(proxy.endpoint()),
              GeneratorTracing.xray("127.0.0.1:2000"),
              Clock.systemUTC())) {
        GeneratorHandler handler =
            new GeneratorHandler(
                generator,
                Optional.of(queueUrl),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(
            new ByteArrayInputStream(
                "{\"count\": 20, \"workMillis\": 0}".getBytes(StandardCharsets.UTF_8)),
            out,
            null);
        result = out.toString(StandardCharsets.UTF_8);
      }

      assertThat(result).matches("\\{\"sent\":10,\"failed\":10,\"millis\":\\d+}");
      assertThat(log.toString(StandardCharsets.UTF_8))
          .as("the 10 not sent were rejected as InvalidMessageContents")
          .contains("10 of 20 messages not sent")
          .contains("InvalidMessageContents")
          .doesNotContain("InternalError");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
