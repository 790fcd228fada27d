package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 25: {@code ChosenTracer.flush} promises "whether it all left", and the scaler's
 * handler warns "spans not all sent" only when it is false. A collector that answers HTTP 500
 * rejects every span, yet the flush reports success at once (BatchSpanProcessor's forceFlush
 * succeeds whatever the export's result), so the spans are lost with no warning in the JSON log.
 */
class FlushReviewTest {

  @Test
  void aFlushThatTheCollectorRejectsIsNotReportedAsSent() throws Exception {
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    collector.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(500, -1);
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
      assertThat(sent).as("flush() after the collector answered 500").isFalse();
    } finally {
      collector.stop(0);
    }
  }
}
