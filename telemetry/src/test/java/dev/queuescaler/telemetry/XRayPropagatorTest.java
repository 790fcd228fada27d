package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header as SQS, Lambda and the X-Ray SDK write it, read and written back unchanged. */
class XRayPropagatorTest {

  private static final String HEADER =
      "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=1";

  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier.get(key);
        }
      };

  @Test
  void aSampledHeaderBecomesTheRemoteParentAndIsWrittenBackAsItCame() {
    Context extracted =
        XRayPropagator.getInstance()
            .extract(Context.root(), Map.of(XRayPropagator.HEADER, HEADER), MAP);

    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getTraceId()).isEqualTo("6566f1b000112233445566778899aabb");
    assertThat(parent.getSpanId()).isEqualTo("0f1e2d3c4b5a6978");
    assertThat(parent.isSampled()).isTrue();
    Map<String, String> carrier = new HashMap<>();
    XRayPropagator.getInstance().inject(extracted, carrier, Map::put);
    assertThat(carrier).containsEntry(XRayPropagator.HEADER, HEADER);
  }

  @Test
  void lineageAndSpacesAndANotSampledFlagAreReadAsTheXRaySdkReadsThem() {
    SpanContext parent =
        XRayPropagator.parse(
                "Root=1-6566F1B0-00112233445566778899AABB; Parent=0f1e2d3c4b5a6978;"
                    + " Sampled=0;Lineage=a87bd80c:1|68fd508a:5")
            .orElseThrow();
    assertThat(parent.getTraceId()).isEqualTo("6566f1b000112233445566778899aabb");
    assertThat(parent.isSampled()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Root=1-6566f1b0-00112233445566778899aabb",
        "Root=1-6566f1b0-00112233445566778899aab;Parent=0f1e2d3c4b5a6978",
        "Root=2-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978",
        "Root=1-6566f1b0-00112233445566778899aabb;Parent=0000000000000000",
        "garbage"
      })
  void anIncompleteOrMalformedHeaderStartsNoTrace(String header) {
    assertThat(XRayPropagator.parse(header)).isEmpty();
  }

  @Test
  void theLambdasParentComesFromTheRuntimesPropertyBeforeTheVariable() {
    Context fromProperty =
        OtelPipeline.lambdaParent(
            HEADER,
            Map.of(
                "_X_AMZN_TRACE_ID",
                "Root=1-00000001-00112233445566778899aabb;Parent=1111111111111111;Sampled=1"));
    Context fromVariable = OtelPipeline.lambdaParent(null, Map.of("_X_AMZN_TRACE_ID", HEADER));

    assertThat(Span.fromContext(fromProperty).getSpanContext().getSpanId())
        .isEqualTo("0f1e2d3c4b5a6978");
    assertThat(Span.fromContext(fromVariable).getSpanContext().getSpanId())
        .isEqualTo("0f1e2d3c4b5a6978");
    assertThat(
            Span.fromContext(OtelPipeline.lambdaParent(null, Map.of())).getSpanContext().isValid())
        .isFalse();
  }
}
