package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP server that speaks the AWS JSON 1.1 protocol (operation in {@code X-Amz-Target}, JSON
 * body, errors as {@code __type}) for services with no local server: ECS, SSM, EventBridge. The
 * real SDK clients, their marshalling, error parsing and retries run against it.
 */
public class FakeAwsServer implements AutoCloseable {

  /** A response: status and JSON body. */
  public record Reply(int status, String body) {
    public static Reply ok(String body) {
      return new Reply(200, body);
    }

    public static Reply error(int status, String type, String message) {
      return new Reply(
          status,
          "{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
    }
  }

  /** One request as received. */
  public record Call(String operation, JsonNode body) {}

  protected static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every call on
    // loopback: a property of this fake, not of the scaler, so it is switched off.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final Map<String, Function<JsonNode, Reply>> handlers = new ConcurrentHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> throttleNext = new ConcurrentHashMap<>();
  private volatile long latencyNanos;

  /**
   * AWS's per-account throttling, as a token bucket: {@code burst} calls at once, refilled at
   * {@code perSecond}. Operations given together share one bucket (SSM's GetParameter,
   * GetParameters and GetParametersByPath share one throughput).
   */
  public static final class TokenBucket {
    private final double burst;
    private final double perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    public TokenBucket(double burst, double perSecond) {
      this.burst = burst;
      this.perSecond = perSecond;
      this.tokens = burst;
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  public FakeAwsServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers {@code operation} (the part of X-Amz-Target after the dot) with {@code handler}. */
  public void on(String operation, Function<JsonNode, Reply> handler) {
    handlers.put(operation, handler);
  }

  /**
   * Throttles {@code operations} with one shared bucket, answering as AWS does when it is empty:
   * HTTP 400, {@code ThrottlingException}, "Rate exceeded".
   */
  public void limit(TokenBucket bucket, String... operations) {
    for (String operation : operations) {
      buckets.put(operation, bucket);
    }
  }

  /**
   * Throttles the next {@code calls} calls of {@code operation} whatever its bucket holds: a
   * throttling storm that outlasts the SDK's retries.
   */
  public void throttleNext(String operation, int calls) {
    throttleNext.computeIfAbsent(operation, o -> new AtomicInteger()).set(calls);
  }

  /** Answers every call after {@code latency}, like a call over the network to AWS. */
  public void latency(Duration latency) {
    latencyNanos = latency.toNanos();
  }

  /** How many calls of {@code operation} were throttled. */
  public int throttled(String operation) {
    AtomicInteger count = throttled.get(operation);
    return count == null ? 0 : count.get();
  }

  public List<Call> calls(String operation) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    synchronized (calls) {
      calls.add(new Call(operation, body));
    }
    if (latencyNanos > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(latencyNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Function<JsonNode, Reply> handler = handlers.get(operation);
    TokenBucket bucket = buckets.get(operation);
    Reply reply;
    AtomicInteger storm = throttleNext.get(operation);
    boolean inStorm = storm != null && storm.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    if (inStorm || (bucket != null && !bucket.take())) {
      throttled.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
      reply = Reply.error(400, "ThrottlingException", "Rate exceeded");
    } else {
      reply =
          handler == null
              ? Reply.error(400, "UnknownOperationException", "no fake for " + operation)
              : handler.apply(body);
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
