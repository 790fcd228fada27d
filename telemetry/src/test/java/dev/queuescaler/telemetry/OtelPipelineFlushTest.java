package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code ChosenTracer.flush} promises "whether it all left", and the scaler's handler warns "spans
 * not all sent" only when it is false. A collector that answers HTTP 500 rejects every span, and
 * BatchSpanProcessor's forceFlush succeeds whatever the export's result, so the pipeline must look
 * at the export's own result, or the spans are lost with no warning.
 */
class OtelPipelineFlushTest {

  @Test
  void aFlushThatTheCollectorRejectsIsNotReportedAsSent() throws Exception {
    assertThat(flushAgainstACollectorAnswering(500)).isFalse();
  }

  @Test
  void aFlushThatTheCollectorTakesIsReportedAsSent() throws Exception {
    assertThat(flushAgainstACollectorAnswering(200)).isTrue();
  }

  /**
   * An exporter that throws (the span processor catches and logs it) has sent nothing that time,
   * but must not make every later flush report "not all sent": the scaler would then warn on every
   * invocation of that container, though its spans leave.
   */
  @Test
  void aFlushAfterOneThrowingExportReportsLaterSuccessfulExportsAsSent() {
    AtomicInteger exports = new AtomicInteger();
    SpanExporter throwsOnce =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            if (exports.getAndIncrement() == 0) {
              throw new IllegalStateException("exporter bug");
            }
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(throwsOnce, "svc", "scope")) {
      pipeline.tracer().spanBuilder("first").startSpan().end();
      boolean first = pipeline.flush(Duration.ofSeconds(1));
      pipeline.tracer().spanBuilder("second").startSpan().end();
      boolean second = pipeline.flush(Duration.ofSeconds(1));

      assertThat(first).as("the span whose export threw").isFalse();
      assertThat(second).as("the span exported after it").isTrue();
    }
  }

  private static boolean flushAgainstACollectorAnswering(int status) throws Exception {
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    collector.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    collector.start();
    try (OtelPipeline pipeline =
        OtelPipeline.exportingTo(
            new OtelSettings(
                URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"),
                "svc",
                Duration.ofSeconds(2)),
            "scope")) {
      pipeline.tracer().spanBuilder("scaling-cycle").startSpan().end();

      boolean sent = pipeline.flush(Duration.ofSeconds(2));

      assertThat(requests.get()).as("the export reached the collector").isPositive();
      return sent;
    } finally {
      collector.stop(0);
    }
  }
}
