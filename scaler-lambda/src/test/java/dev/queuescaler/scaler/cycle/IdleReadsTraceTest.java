package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.scaler.tracing.OtelTracing;
import dev.queuescaler.scaler.tracing.TraceRoot;
import dev.queuescaler.scaler.tracing.XRayTracing;
import dev.queuescaler.telemetry.AwsCallSpans;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.testsupport.MutableClock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * docs/tracing.md: each AWS call's parent is the cycle or the decision it serves. The idle targets'
 * queue reads run on the cycle's pool; without the cycle's trace carried to its threads each read
 * was a trace of its own with OpenTelemetry, an X-Ray "context missing" error per read in the CLI,
 * and a call under the function's segment beside the cycle in the Lambda.
 */
class IdleReadsTraceTest {

  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(exported, "t", "t");
  private final MutableClock clock = new MutableClock(START);
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger quietReads = new AtomicInteger();
  private HttpServer sqs;

  @AfterEach
  void close() {
    pipeline.close();
    if (sqs != null) {
      sqs.stop(0);
    }
  }

  @Test
  void anIdleTargetsQueueReadsAreCallsOfTheCycle() throws Exception {
    // busy has a backlog and five tasks: it is sampled at 0, 15, 30 and 45 s, and the rounds go
    // on; quiet has none and no task: idle from its first sample, its queue is read at its idle
    // checks (15 s, the default) on the pool.
    sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext(
        "/",
        exchange -> {
          String request =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          reads.incrementAndGet();
          boolean quiet = request.contains("/quiet");
          if (quiet) {
            quietReads.incrementAndGet();
          }
          byte[] body =
              ("{\"Attributes\":{\"ApproximateNumberOfMessages\":\""
                      + (quiet ? 0 : 50)
                      + "\",\"ApproximateNumberOfMessagesNotVisible\":\"0\","
                      + "\"ApproximateNumberOfMessagesDelayed\":\"0\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    sqs.start();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : List.of("busy", "quiet")) {
      FixedParameters.putTarget(keys, name);
      keys.put(name + "/backlog-per-task", "10");
      keys.put(name + "/sample-interval-seconds", "15");
    }
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            return ref.service().startsWith("busy") ? new ServiceSnapshot(5, 5, 0) : zero();
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {}
        };

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
                            .addExecutionInterceptor(new AwsCallSpans(pipeline.tracer())))
                .build();
        ScalingCycle cycle =
            new ScalingCycle(
                new ScalingCycle.Ports(
                    FixedParameters.of(keys),
                    new SqsQueueProbe(client),
                    services,
                    new InMemoryDecisionStore(),
                    decision -> {},
                    outcome -> {},
                    OperatorLog.NONE,
                    new OtelTracing(pipeline.tracer(), TraceRoot.OWN_TRACE),
                    clock,
                    clock::advanceTo),
                2)) {
      CycleReport report =
          cycle.run(
              CycleRequest.ALL_TARGETS
                  .by(Deadline.at(START.plusSeconds(90)))
                  .within(Duration.ofMinutes(1)));
      assertThat(report.failures()).isEmpty();
    }

    assertThat(quietReads.get()).as("quiet's first sample, then its idle checks").isGreaterThan(1);
    List<SpanData> spans = exported.getFinishedSpanItems();
    Map<String, SpanData> byId =
        spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    SpanData cycleSpan =
        spans.stream()
            .filter(s -> s.getName().equals(XRayTracing.CLI_SEGMENT))
            .findFirst()
            .orElseThrow();
    List<SpanData> calls =
        spans.stream().filter(s -> s.getName().equals("Sqs.GetQueueAttributes")).toList();
    assertThat(calls).as("one span per read").hasSize(reads.get());
    assertThat(calls)
        .allSatisfy(
            read ->
                assertThat(ancestors(read, byId))
                    .as("the ancestors of a read at %s", read.getStartEpochNanos())
                    .contains(cycleSpan.getSpanId()));
  }

  private static ServiceSnapshot zero() {
    return new ServiceSnapshot(0, 0, 0);
  }

  private static List<String> ancestors(SpanData span, Map<String, SpanData> byId) {
    List<String> ids = new ArrayList<>();
    SpanData at = span;
    while (at.getParentSpanContext().isValid()) {
      ids.add(at.getParentSpanId());
      at = byId.get(at.getParentSpanId());
      if (at == null) {
        break;
      }
    }
    return ids;
  }
}
