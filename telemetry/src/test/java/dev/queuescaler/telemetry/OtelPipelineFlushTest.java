package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
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
