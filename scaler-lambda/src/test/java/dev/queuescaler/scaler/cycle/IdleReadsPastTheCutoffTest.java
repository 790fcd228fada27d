package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.queuescaler.scaler.tracing.TraceRoot;
import dev.queuescaler.scaler.tracing.XRayTracing;
import dev.queuescaler.testsupport.MutableClock;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A read that has started cannot be cancelled: {@code FutureTask.cancel(false)} on a running task
 * answers {@code true} and the task goes on. Taking that answer for "never ran" let a slow
 * GetQueueAttributes outlive the cycle: in the Lambda its X-Ray subsegment went out in progress
 * inside the cycle's document, and its end was never sent. A read that started before the cutoff is
 * waited for, so that its call ends within the cycle; what it finds after the cutoff is not decided
 * (it counts as not read, as before).
 */
class IdleReadsPastTheCutoffTest {

  private static final String HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  private static final String FUNCTION_SEGMENT = "0f1e2d3c4b5a6978";
  private static final Instant START = Instant.parse("2026-12-07T08:00:00Z");
  private static final Instant CUTOFF = START.plusSeconds(10);

  private final XRayDaemonListener daemon = new XRayDaemonListener();
  private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
  private final MutableClock clock = new MutableClock(START);
  private final AtomicBoolean answered = new AtomicBoolean();
  private HttpServer sqs;

  @AfterEach
  void tearDown() {
    System.clearProperty(HEADER_PROPERTY);
    daemon.close();
    if (sqs != null) {
      sqs.stop(0);
    }
  }

  @Test
  void aReadStillRunningWhenTheCycleEndsIsSentEndedOnceUnderTheCycleAndNotInItsDocument()
      throws Exception {
    // SQS answers only after the cutoff has passed, half a second later.
    sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          clock.advanceTo(CUTOFF.plusSeconds(1));
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              ("{\"Attributes\":{\"ApproximateNumberOfMessages\":\"0\","
                      + "\"ApproximateNumberOfMessagesNotVisible\":\"0\","
                      + "\"ApproximateNumberOfMessagesDelayed\":\"0\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    sqs.start();
    String root =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-0000000000000000c07c0ff0";
    System.setProperty(
        HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    daemon.onDocument(received::add);
    AWSXRayRecorder recorder = XRayTracing.recorder(daemon.address(), TraceRoot.FUNCTION_SEGMENT);
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayTracing tracing = new XRayTracing(recorder, TraceRoot.FUNCTION_SEGMENT);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    List<Boolean> answeredWhenTheReadsReturned = new ArrayList<>();
    Map<String, IdleReads.Read> found;
    try (SqsClient client =
        SqsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .endpointOverride(URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(tracing.sdkInterceptor()))
            .build()) {
      BooleanSupplier slowRead =
          () -> {
            client.getQueueAttributes(
                r ->
                    r.queueUrl("http://127.0.0.1/000000000000/quiet")
                        .attributeNames(QueueAttributeName.ALL));
            answered.set(true);
            return true;
          };
      found =
          tracing.cycle(
              () -> {
                try {
                  Map<String, IdleReads.Read> reads =
                      new IdleReads(pool, clock, tracing).read(Map.of("quiet", slowRead), CUTOFF);
                  answeredWhenTheReadsReturned.add(answered.get());
                  return reads;
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
    } finally {
      // Not shutdownNow: the read goes on, uninterrupted, as on the scaler's pool.
      pool.shutdown();
    }
    JsonNode cycle =
        daemon.await(d -> "scaling-cycle".equals(d.path("name").asText()), Duration.ofSeconds(3));
    daemon.await(d -> "Sqs".equals(d.path("name").asText()), Duration.ofSeconds(5));
    Thread.sleep(500);

    assertThat(found.get("quiet").found())
        .as("not answered by the cutoff: not read")
        .isEqualTo(IdleReads.Found.NOT_READ);
    assertThat(answeredWhenTheReadsReturned)
        .as("the read was still running when the reads returned to the cycle")
        .containsExactly(false);
    List<JsonNode> inCycle = new ArrayList<>();
    collect(cycle, "Sqs", inCycle);
    assertThat(inCycle).as("the read's call in the cycle's document").isEmpty();
    List<JsonNode> calls = new ArrayList<>();
    synchronized (received) {
      received.forEach(d -> collect(d, "Sqs", calls));
      assertThat(received)
          .as("the cycle's document, once")
          .filteredOn(d -> "scaling-cycle".equals(d.path("name").asText()))
          .hasSize(1);
    }
    assertThat(calls).as("the read's call, sent once").hasSize(1);
    JsonNode call = calls.get(0);
    assertThat(call.path("in_progress").asBoolean()).as("in progress").isFalse();
    assertThat(call.has("end_time")).as("its end").isTrue();
    assertThat(call.path("trace_id").asText()).isEqualTo(root);
    assertThat(call.path("parent_id").asText())
        .as("its parent, the cycle")
        .isEqualTo(cycle.path("id").asText());
  }

  private static void collect(JsonNode entity, String name, List<JsonNode> into) {
    if (name.equals(entity.path("name").asText())) {
      into.add(entity);
    }
    for (JsonNode child : entity.path("subsegments")) {
      collect(child, name, into);
    }
  }
}
