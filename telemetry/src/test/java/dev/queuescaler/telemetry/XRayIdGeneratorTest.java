package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class XRayIdGeneratorTest {

  @Test
  void aTraceIdBeginsWithTheEpochSecondInHex() {
    XRayIdGenerator ids = new XRayIdGenerator(() -> 0x6566f1b0L);
    String traceId = ids.generateTraceId();
    assertThat(TraceId.isValid(traceId)).isTrue();
    assertThat(traceId).startsWith("6566f1b0");
    assertThat(XRayIdGenerator.xrayTraceId(traceId)).matches("1-6566f1b0-[0-9a-f]{24}");
  }

  @Test
  void idsAreValidAndDoNotRepeat() {
    XRayIdGenerator ids = new XRayIdGenerator();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String spanId = ids.generateSpanId();
      assertThat(SpanId.isValid(spanId)).isTrue();
      assertThat(seen.add(spanId)).isTrue();
      assertThat(seen.add(ids.generateTraceId())).isTrue();
    }
  }
}
