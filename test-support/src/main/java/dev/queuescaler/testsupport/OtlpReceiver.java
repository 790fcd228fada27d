package dev.queuescaler.testsupport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace endpoint on loopback, what a collector's {@code otlp} receiver is to an
 * exporter: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest} in protobuf (gzip or
 * not), answered 200 with an empty {@code ExportTraceServiceResponse}. Give {@link #endpoint()} as
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}; the real exporter appends {@code /v1/traces}.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** The path the OTLP/HTTP exporter posts spans to. */
  public static final String TRACES_PATH = "/v1/traces";

  /**
   * One received span, flattened with its resource's {@code service.name}.
   *
   * @param traceId 32 lowercase hex digits
   * @param spanId 16 lowercase hex digits
   * @param parentSpanId 16 hex digits, or empty for a root span
   * @param attributes the span's attributes: String, Long, Double, Boolean or a List of those
   * @param error whether the span's status is ERROR
   */
  public record ReceivedSpan(
      String serviceName,
      String traceId,
      String spanId,
      Optional<String> parentSpanId,
      String name,
      String kind,
      Map<String, Object> attributes,
      long startEpochNanos,
      long endEpochNanos,
      boolean error) {

    /** The trace id as X-Ray writes it: {@code 1-<8 hex: epoch seconds>-<24 hex>}. */
    public String xrayTraceId() {
      return "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
    }

    public Optional<Object> attribute(String key) {
      return Optional.ofNullable(attributes.get(key));
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private volatile Consumer<ReceivedSpan> onSpan = span -> {};

  public OtlpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "otlp-receiver");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
  }

  /** {@code http://127.0.0.1:port}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Calls {@code listener} with every span received from now on. */
  public void onSpan(Consumer<ReceivedSpan> listener) {
    this.onSpan = listener;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] body = body(exchange);
      if (!"POST".equals(exchange.getRequestMethod())
          || !TRACES_PATH.equals(exchange.getRequestURI().getPath())
          || contentType == null
          || !contentType.startsWith("application/x-protobuf")) {
        reject(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + contentType);
        exchange.sendResponseHeaders(contentType == null ? 415 : 404, -1);
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request = ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        reject("undecodable body: " + e.getMessage());
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        String service = serviceName(resourceSpans.getResource());
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            received(flatten(service, span));
          }
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        exchange.getResponseBody().write(response);
      }
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private void reject(String what) {
    synchronized (spans) {
      rejected.add(what);
    }
  }

  private void received(ReceivedSpan span) {
    synchronized (spans) {
      spans.add(span);
      spans.notifyAll();
    }
    onSpan.accept(span);
  }

  private static ReceivedSpan flatten(String service, Span span) {
    HexFormat hex = HexFormat.of();
    return new ReceivedSpan(
        service,
        hex.formatHex(span.getTraceId().toByteArray()),
        hex.formatHex(span.getSpanId().toByteArray()),
        span.getParentSpanId().isEmpty()
            ? Optional.empty()
            : Optional.of(hex.formatHex(span.getParentSpanId().toByteArray())),
        span.getName(),
        span.getKind().name(),
        attributes(span.getAttributesList()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
  }

  private static String serviceName(Resource resource) {
    Object name = attributes(resource.getAttributesList()).get("service.name");
    return name == null ? "" : name.toString();
  }

  private static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) {
      attributes.put(kv.getKey(), value(kv.getValue()));
    }
    return attributes;
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream().map(v -> value(v)).toList();
      default -> value.toString();
    };
  }

  /** Every span received so far. */
  public List<ReceivedSpan> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  /** Requests that were not a protobuf POST to {@value #TRACES_PATH}, or did not decode. */
  public List<String> rejected() {
    synchronized (spans) {
      return List.copyOf(rejected);
    }
  }

  /** Waits until a received span matches, and returns it. */
  public ReceivedSpan await(Predicate<ReceivedSpan> matching, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (spans) {
      while (true) {
        for (ReceivedSpan span : spans) {
          if (matching.test(span)) {
            return span;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no matching span within "
                  + timeout
                  + "; received "
                  + spans
                  + ", rejected "
                  + rejected);
        }
        spans.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
