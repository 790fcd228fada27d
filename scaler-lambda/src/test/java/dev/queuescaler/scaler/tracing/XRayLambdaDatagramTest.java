package dev.queuescaler.scaler.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * In the Lambda the cycle's {@code scaling-cycle} subsegment hangs under the function's segment,
 * and the X-Ray SDK sends such a subsegment with {@code UDPEmitter.sendSubsegment}, which never
 * splits a document past a UDP datagram's 64 KB: the daemon never receives it, and the cycle's
 * whole trace is lost. Each failed AWS call carries its exception's stack trace, so an outage (the
 * moment the trace matters most) is what makes the cycle too large: four targets with two refused
 * connections each came to 116,343 bytes in one datagram. The trace must reach the daemon whole,
 * each decision and action under the cycle and each AWS call under the decision or action it
 * served.
 */
class XRayLambdaDatagramTest {

  private static final String HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  private static final String FUNCTION_SEGMENT = "0f1e2d3c4b5a6978";

  private final XRayDaemonListener daemon = new XRayDaemonListener();
  private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void tearDown() {
    System.clearProperty(HEADER_PROPERTY);
    daemon.close();
  }

  @Test
  void aLambdaCycleWithFourTargetsWhoseTwoCallsCannotConnectReachesTheDaemon() throws Exception {
    // Nothing listens on port 1: each call fails at once with a refused connection.
    Map<String, JsonNode> calls = traceALambdaCycle("http://127.0.0.1:1", 4);

    assertThat(calls.values())
        .allSatisfy(
            call ->
                assertThat(call.at("/cause/exceptions").size())
                    .as("the call's failure is in the trace: %s", call)
                    .isPositive());
  }

  @Test
  void aLambdaCycleWithTwentyFourTargetsWhoseCallsSucceedReachesTheDaemon() throws Exception {
    HttpServer dynamo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    dynamo.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    dynamo.start();
    try {
      traceALambdaCycle("http://127.0.0.1:" + dynamo.getAddress().getPort(), 24);
    } finally {
      dynamo.stop(0);
    }
  }

  /**
   * The scaler decides its targets on a pool of 8 threads. While they run, the cycle's lock is
   * taken by one thread after another, and subsegments that ended could be skipped, stay in the
   * cycle and make it too large at its end (94 to 183 KB, lost, in up to 4 cycles of 20), or the
   * cycle could be sent twice. Every cycle must arrive once, and every decision and call with the
   * parent it names.
   */
  @Test
  void lambdaCyclesDecidingFiftyTargetsOnEightThreadsWithFailingCallsEachArriveOnce()
      throws Exception {
    int cycles = 8;
    int targets = 50;
    daemon.onDocument(received::add);
    AWSXRayRecorder recorder = XRayTracing.recorder(daemon.address(), TraceRoot.FUNCTION_SEGMENT);
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayTracing tracing = new XRayTracing(recorder, TraceRoot.FUNCTION_SEGMENT);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> roots = new ArrayList<>();
    String epoch = Long.toHexString(Instant.now().getEpochSecond());
    // Nothing listens on port 1: each call fails at once with a refused connection.
    try (DynamoDbClient dynamo = dynamo("http://127.0.0.1:1", tracing)) {
      for (int c = 0; c < cycles; c++) {
        String root = "1-" + epoch + "-" + String.format("%024x", 0xc0ffee00L + c);
        roots.add(root);
        System.setProperty(
            HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
        tracing.cycle(
            () -> {
              List<Future<TargetOutcome>> decisions = new ArrayList<>();
              for (int t = 0; t < targets; t++) {
                String target = "target-" + t;
                decisions.add(
                    pool.submit(
                        tracing.carryOver(
                            () ->
                                tracing.decide(
                                    () -> {
                                      callAndHold(dynamo, target);
                                      return callAndHold(dynamo, target);
                                    }))));
              }
              for (Future<TargetOutcome> decision : decisions) {
                try {
                  decision.get();
                } catch (InterruptedException | ExecutionException e) {
                  throw new IllegalStateException(e);
                }
              }
              return null;
            });
      }
    } finally {
      pool.shutdownNow();
    }
    awaitQuiet();

    assertThat(daemon.malformed()).isEmpty();
    for (String root : roots) {
      assertArrivedOnceInPlace(root, targets);
    }
  }

  /**
   * A fleet-wide outage: each decision's two calls fail, each with its exception. When every ended
   * decision stayed in the cycle until the cycle ended, the cycle held the whole outage (a stand-in
   * of 4,000 decisions whose calls failed with a 120-frame exception and a cause: about 170 MB,
   * since the SDK keeps each Throwable whole until it writes it) and sent it in one burst at the
   * end (3,801 of 4,001 datagrams reached a receiver). Each decision goes out as it ends: once the
   * pool's work has joined, the cycle holds none of them, and every document arrives once.
   */
  @Test
  void aLambdaCycleOfFailingDecisionsOnEightThreadsHoldsNoEndedDecisionOnceThePoolsWorkIsDone()
      throws Exception {
    int targets = 200;
    daemon.onDocument(received::add);
    AWSXRayRecorder recorder = XRayTracing.recorder(daemon.address(), TraceRoot.FUNCTION_SEGMENT);
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayTracing tracing = new XRayTracing(recorder, TraceRoot.FUNCTION_SEGMENT);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    String root =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-0000000000000000dec1de00";
    System.setProperty(
        HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    List<Integer> heldOnceThePoolsWorkIsDone = new ArrayList<>();
    // Nothing listens on port 1: each call fails at once with a refused connection.
    try (DynamoDbClient dynamo = dynamo("http://127.0.0.1:1", tracing)) {
      tracing.cycle(
          () -> {
            List<Future<TargetOutcome>> decisions = new ArrayList<>();
            for (int t = 0; t < targets; t++) {
              String target = "target-" + t;
              decisions.add(
                  pool.submit(
                      tracing.carryOver(
                          () ->
                              tracing.decide(
                                  () -> {
                                    callAndHold(dynamo, target);
                                    return callAndHold(dynamo, target);
                                  }))));
            }
            for (Future<TargetOutcome> decision : decisions) {
              try {
                decision.get();
              } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
              }
            }
            heldOnceThePoolsWorkIsDone.add(recorder.getTraceEntity().getSubsegmentsCopy().size());
            return null;
          });
    } finally {
      pool.shutdownNow();
    }
    awaitQuiet();

    assertThat(heldOnceThePoolsWorkIsDone)
        .as("the ended decisions the cycle still holds once the pool's work is done")
        .containsExactly(0);
    assertThat(daemon.malformed()).isEmpty();
    assertArrivedOnceInPlace(root, targets);
    synchronized (received) {
      assertThat(received)
          .as("each decision in a document of its own, once")
          .filteredOn(d -> XRayTracing.DECIDE_SUBSEGMENT.equals(d.path("name").asText()))
          .hasSize(targets)
          .extracting(d -> d.path("id").asText())
          .doesNotHaveDuplicates();
    }
  }

  /**
   * Asserts that trace {@code root}'s cycle arrived once under the function's segment, with a
   * {@code decide} of each of {@code targets} targets under it and two calls under each decide,
   * every document's parent arrived.
   */
  private void assertArrivedOnceInPlace(String root, int targets) {
    List<String> everyTarget = IntStream.range(0, targets).mapToObj(t -> "target-" + t).toList();
    List<JsonNode> documents;
    synchronized (received) {
      documents = received.stream().filter(d -> root.equals(d.path("trace_id").asText())).toList();
    }
    List<JsonNode> cycle =
        documents.stream().filter(d -> "scaling-cycle".equals(d.path("name").asText())).toList();
    assertThat(cycle)
        .as("the cycle of trace %s, sent once, in one datagram (at most 64 KB)", root)
        .hasSize(1);
    String cycleId = cycle.get(0).path("id").asText();
    assertThat(cycle.get(0).path("parent_id").asText()).isEqualTo(FUNCTION_SEGMENT);
    Map<String, Placed> entities = new LinkedHashMap<>();
    for (JsonNode document : documents) {
      place(document, document.path("parent_id").asText(), entities);
    }
    assertThat(entities.values())
        .as("every document's parent arrived (trace %s)", root)
        .allSatisfy(
            p ->
                assertThat(p.parent().equals(FUNCTION_SEGMENT) || entities.containsKey(p.parent()))
                    .as("the parent %s of %s", p.parent(), p.entity().path("name"))
                    .isTrue());
    List<Placed> decides = named(entities, XRayTracing.DECIDE_SUBSEGMENT);
    assertThat(decides)
        .as("each decide under the cycle")
        .allSatisfy(p -> assertThat(p.parent()).isEqualTo(cycleId));
    assertThat(decides.stream().map(p -> p.entity().at("/annotations/target").asText()))
        .containsExactlyInAnyOrderElementsOf(everyTarget);
    Set<String> decideIds =
        decides.stream().map(p -> p.entity().path("id").asText()).collect(Collectors.toSet());
    List<Placed> calls = named(entities, "DynamoDb");
    assertThat(calls).as("two calls per decision").hasSize(2 * targets);
    assertThat(calls).allSatisfy(call -> assertThat(decideIds).contains(call.parent()));
  }

  /** Waits until no document has arrived for 300 ms (at most 10 s). */
  private void awaitQuiet() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      int now = received.size();
      if (now == seen) {
        return;
      }
      seen = now;
      Thread.sleep(300);
    }
  }

  private static DynamoDbClient dynamo(String endpoint, XRayTracing tracing) {
    return DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .endpointOverride(URI.create(endpoint))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .addExecutionInterceptor(tracing.sdkInterceptor()))
        .build();
  }

  /**
   * Traces one cycle as the Lambda does, under the function's segment: per target a {@code decide}
   * and an {@code act}, each making one DynamoDB call to {@code endpoint}. Asserts that the cycle,
   * every decision and action, and every call reached the daemon in place; returns the calls by id.
   */
  private Map<String, JsonNode> traceALambdaCycle(String endpoint, int targets) throws Exception {
    String root =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00112233445566778899aabb";
    System.setProperty(
        HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    daemon.onDocument(received::add);
    AWSXRayRecorder recorder = XRayTracing.recorder(daemon.address(), TraceRoot.FUNCTION_SEGMENT);
    // What the SDK's default chain picks when LAMBDA_TASK_ROOT is set.
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayTracing tracing = new XRayTracing(recorder, TraceRoot.FUNCTION_SEGMENT);
    try (DynamoDbClient dynamo =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .endpointOverride(URI.create(endpoint))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(tracing.sdkInterceptor()))
            .build()) {
      tracing.cycle(
          () -> {
            for (int t = 0; t < targets; t++) {
              String target = "target-" + t;
              tracing.decide(() -> callAndHold(dynamo, target));
              tracing.act(() -> callAndHold(dynamo, target));
            }
            return null;
          });
    }

    // The cycle's own document is sent last, when it ends: whatever was sent before it is here.
    JsonNode cycle =
        daemon.await(d -> "scaling-cycle".equals(d.path("name").asText()), Duration.ofSeconds(3));
    assertThat(cycle.path("trace_id").asText()).isEqualTo(root);
    assertThat(cycle.path("parent_id").asText()).isEqualTo(FUNCTION_SEGMENT);
    assertThat(daemon.malformed()).isEmpty();
    synchronized (received) {
      assertThat(received)
          .as("the cycle's own document, sent once")
          .filteredOn(d -> d.path("id").asText().equals(cycle.path("id").asText()))
          .hasSize(1);
    }

    Map<String, Placed> entities = new LinkedHashMap<>();
    synchronized (received) {
      for (JsonNode document : received) {
        place(document, document.path("parent_id").asText(), entities);
      }
    }
    List<String> everyTarget = IntStream.range(0, targets).mapToObj(t -> "target-" + t).toList();
    for (String name : List.of(XRayTracing.DECIDE_SUBSEGMENT, XRayTracing.ACT_SUBSEGMENT)) {
      List<Placed> found = named(entities, name);
      assertThat(found)
          .as(name + " under the cycle")
          .allSatisfy(p -> assertThat(p.parent()).isEqualTo(cycle.path("id").asText()));
      assertThat(found.stream().map(p -> p.entity().at("/annotations/target").asText()))
          .as(name + "'s targets")
          .containsExactlyInAnyOrderElementsOf(everyTarget);
    }
    Set<String> decisionsAndActions =
        entities.values().stream()
            .filter(p -> !p.entity().path("name").asText().equals("DynamoDb"))
            .map(p -> p.entity().path("id").asText())
            .collect(Collectors.toSet());
    List<Placed> calls = named(entities, "DynamoDb");
    assertThat(calls).as("one call per decision and per action").hasSize(2 * targets);
    assertThat(calls).allSatisfy(call -> assertThat(decisionsAndActions).contains(call.parent()));
    return calls.stream()
        .collect(
            Collectors.toMap(
                p -> p.entity().path("id").asText(),
                Placed::entity,
                (a, b) -> a,
                LinkedHashMap::new));
  }

  /** An entity as received, with its parent's id: given in the document, or the enclosing one. */
  private record Placed(JsonNode entity, String parent) {}

  private static void place(JsonNode entity, String parent, Map<String, Placed> entities) {
    // By id: a subsegment sent twice counts once.
    entities.putIfAbsent(entity.path("id").asText(), new Placed(entity, parent));
    for (JsonNode child : entity.path("subsegments")) {
      place(child, entity.path("id").asText(), entities);
    }
  }

  private static List<Placed> named(Map<String, Placed> entities, String name) {
    return entities.values().stream()
        .filter(p -> p.entity().path("name").asText().equals(name))
        .toList();
  }

  private static TargetOutcome callAndHold(DynamoDbClient dynamo, String target) {
    try {
      dynamo.getItem(r -> r.tableName("state").key(Map.of("pk", AttributeValue.fromS(target))));
    } catch (SdkException outage) {
      // what the trace should show
    }
    return new TargetOutcome(
        new DecisionRecord(
            target,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Action.HOLD,
            Reason.QUEUE_UNREADABLE,
            false,
            List.of("queue: unreadable"),
            Instant.now()),
        Optional.of(FailureKind.PASSING),
        0,
        5);
  }
}
