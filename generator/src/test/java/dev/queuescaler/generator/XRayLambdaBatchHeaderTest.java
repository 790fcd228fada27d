package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generator Lambda with the X-Ray SDK: every {@code SendMessageBatch} runs in a {@code
 * send-batch} subsegment, and its messages' {@code AWSTraceHeader} names it, as with OpenTelemetry.
 * In a Lambda the recorder holds no trace entity on the invocation's thread: Lambda's segment is a
 * facade the SDK builds from the invocation's trace header only when a subsegment begins. The
 * recorder here resolves its context as in a Lambda, from the property the Java runtime sets.
 */
class XRayLambdaBatchHeaderTest {

  private static final String HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
  private static final String FUNCTION_SEGMENT = "0f1e2d3c4b5a6978";

  private final XRayDaemonListener daemon = new XRayDaemonListener();

  @AfterEach
  void tearDown() {
    System.clearProperty(HEADER_PROPERTY);
    daemon.close();
  }

  @Test
  void aLambdaBatchCarriesAHeaderNamingItsSendBatchSubsegmentWhichReachesTheDaemon()
      throws Exception {
    String root =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00112233445566778899aabb";
    System.setProperty(
        HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    AWSXRayRecorder recorder = XRayGeneratorTracing.recorder(daemon.address());
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayGeneratorTracing tracing = new XRayGeneratorTracing(recorder);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Optional<String> header;
    try {
      // As GeneratorHandler and BatchSender run it: inInvocation, then carryOver to a pool thread.
      header =
          tracing.inInvocation(
              () -> pool.submit(tracing.carryOver(() -> tracing.inBatch(h -> h))).get());
    } finally {
      pool.shutdownNow();
    }

    assertThat(header).isPresent();
    assertThat(header.get()).matches("Root=" + root + ";Parent=[0-9a-f]{16};Sampled=1");
    String batchId = header.get().replaceAll(".*Parent=([0-9a-f]{16}).*", "$1");
    JsonNode sent =
        daemon.await(d -> find(d, "send-batch", batchId) != null, Duration.ofSeconds(5));
    assertThat(sent.path("trace_id").asText()).isEqualTo(root);
    JsonNode invocation =
        daemon.await(d -> "generate".equals(d.path("name").asText()), Duration.ofSeconds(5));
    assertThat(invocation.path("parent_id").asText())
        .as("the invocation's subsegment, beneath the function's segment")
        .isEqualTo(FUNCTION_SEGMENT);
    // Sent when it ended with all beneath it, before the invocation's own document.
    assertThat(sent.path("name").asText()).as("a document of its own").isEqualTo("send-batch");
    assertThat(sent.path("parent_id").asText())
        .as("naming the invocation's subsegment")
        .isEqualTo(invocation.path("id").asText());
    assertThat(sent.path("in_progress").asBoolean()).isFalse();
  }

  /**
   * The X-Ray SDK sends the {@code generate} subsegment whole, in one UDP datagram of at most 64
   * KB. Its batches run on 8 threads, so the SDK's own streaming (which only tries each lock)
   * skipped ended batches, and 500 failing batches once left a 522 KB document: lost, with every
   * batch in it. The invocation must arrive once, and every batch with the parent it names.
   */
  @Test
  void anInvocationWhoseBatchesFailOnEightThreadsArrivesOnceWithEveryBatchBeneathIt()
      throws Exception {
    int batches = 500;
    String root =
        "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00112233445566778899aabc";
    System.setProperty(
        HEADER_PROPERTY, "Root=" + root + ";Parent=" + FUNCTION_SEGMENT + ";Sampled=1");
    List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    daemon.onDocument(received::add);
    AWSXRayRecorder recorder = XRayGeneratorTracing.recorder(daemon.address());
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    recorder.setSegmentContextResolverChain(lambda);
    XRayGeneratorTracing tracing = new XRayGeneratorTracing(recorder);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      tracing.inInvocation(
          () -> {
            List<Future<Object>> sent = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
              String refusal = "batch " + b + " refused";
              sent.add(
                  pool.submit(
                      tracing.carryOver(
                          () -> {
                            try {
                              return tracing.inBatch(
                                  header -> {
                                    throw new IllegalStateException(refusal);
                                  });
                            } catch (IllegalStateException expected) {
                              return null;
                            }
                          })));
            }
            for (Future<Object> batch : sent) {
              batch.get();
            }
            return null;
          });
    } finally {
      pool.shutdownNow();
    }
    int seen = -1;
    for (int i = 0; i < 30 && received.size() != seen; i++) {
      seen = received.size();
      Thread.sleep(300);
    }

    List<JsonNode> documents;
    synchronized (received) {
      documents = received.stream().filter(d -> root.equals(d.path("trace_id").asText())).toList();
    }
    List<JsonNode> invocation =
        documents.stream().filter(d -> "generate".equals(d.path("name").asText())).toList();
    assertThat(invocation)
        .as("the invocation's subsegment, sent once, in one datagram (at most 64 KB)")
        .hasSize(1);
    String invocationId = invocation.get(0).path("id").asText();
    List<String> batchParents = new ArrayList<>();
    for (JsonNode document : documents) {
      if ("send-batch".equals(document.path("name").asText())) {
        batchParents.add(document.path("parent_id").asText());
      }
      for (JsonNode sub : document.path("subsegments")) {
        if ("send-batch".equals(sub.path("name").asText())) {
          batchParents.add(document.path("id").asText());
        }
      }
    }
    assertThat(batchParents).as("every batch, under the invocation").hasSize(batches);
    assertThat(batchParents).containsOnly(invocationId);
  }

  /** The (sub)segment named {@code name} with id {@code id} in {@code node}'s tree, or null. */
  private static JsonNode find(JsonNode node, String name, String id) {
    if (name.equals(node.path("name").asText()) && id.equals(node.path("id").asText())) {
      return node;
    }
    for (JsonNode sub : node.path("subsegments")) {
      JsonNode found = find(sub, name, id);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
