package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.testsupport.XRayDaemonListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    assertThat(sent.path("name").asText()).as("the invocation's subsegment").isEqualTo("generate");
    assertThat(sent.path("parent_id").asText())
        .as("beneath the function's segment")
        .isEqualTo(FUNCTION_SEGMENT);
    assertThat(find(sent, "send-batch", batchId).path("in_progress").asBoolean()).isFalse();
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
