package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a real server that speaks an AWS JSON protocol (ElasticMQ for
 * SQS): every call goes through to the real server unless a test injects a fault for its operation,
 * either instead of the call (an error reply: throttling, 5xx, AccessDenied) or on its answer (per
 * entry failures in a 200). The real SDK client, its error parsing and its retries run against it.
 */
public final class FaultInjectingProxy implements AutoCloseable {

  /** A reply given instead of the real server's, with any headers it needs beyond the usual. */
  public record Reply(int status, String body, Map<String, String> headers) {
    public Reply {
      headers = Map.copyOf(headers);
    }

    public Reply(int status, String body) {
      this(status, body, Map.of());
    }

    /** An AWS JSON error: {@code __type} and message. */
    public static Reply error(int status, String type, String message) {
      return new Reply(
          status,
          "{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
    }

    /**
     * An error exactly as SQS's JSON protocol documents it: {@code __type} is the error shape
     * ({@code com.amazonaws.sqs#QueueDoesNotExist}) and the {@code x-amzn-query-error} header
     * carries the query-protocol code and fault ({@code
     * AWS.SimpleQueueService.NonExistentQueue;Sender}), which the SDK reports as the error code.
     */
    public static Reply sqsError(int status, String shape, String queryCode, String message) {
      Reply error = error(status, "com.amazonaws.sqs#" + shape, message);
      String fault = status >= 500 ? "Receiver" : "Sender";
      return new Reply(status, error.body(), Map.of("x-amzn-query-error", queryCode + ";" + fault));
    }
  }

  /** Decides, per request, whether to answer instead of the real server. */
  @FunctionalInterface
  public interface Fault {
    Optional<Reply> instead(JsonNode request);
  }

  /** Rewrites the real server's 200 answer. */
  @FunctionalInterface
  public interface Rewrite {
    JsonNode answer(JsonNode request, JsonNode response);
  }

  /** One call as it passed. */
  public record Call(String operation, JsonNode request) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");

  private final URI upstream;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, Rewrite> rewrites = new ConcurrentHashMap<>();
  private final Map<String, LostAnswers> lostAnswers = new ConcurrentHashMap<>();
  private final List<Call> calls = new ArrayList<>();

  public FaultInjectingProxy(URI upstream) {
    this.upstream = upstream;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers {@code operation} (after the dot of X-Amz-Target) with a fault when it says so. */
  public void fail(String operation, Fault fault) {
    faults.put(operation, fault);
  }

  /** Passes {@code operation} through, then rewrites its successful answer. */
  public void rewrite(String operation, Rewrite rewrite) {
    rewrites.put(operation, rewrite);
  }

  /**
   * Passes the next {@code times} calls of {@code operation} through to the real server (so they
   * are applied), then answers each with {@code reply} instead of the server's answer: a response
   * lost on the way back, which the client's retry then repeats.
   */
  public void loseAnswers(String operation, int times, Reply reply) {
    lostAnswers.put(operation, new LostAnswers(new AtomicInteger(times), reply));
  }

  /** Answers still to lose for an operation, and what the client gets instead. */
  private record LostAnswers(AtomicInteger remaining, Reply reply) {}

  /** Every call of {@code operation} so far. */
  public List<Call> calls(String operation) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode request = body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
      synchronized (calls) {
        calls.add(new Call(operation, request));
      }
      Optional<Reply> fault =
          Optional.ofNullable(faults.get(operation)).flatMap(f -> f.instead(request));
      Reply reply = fault.isPresent() ? fault.get() : forward(exchange, body, operation, request);
      LostAnswers lost = lostAnswers.get(operation);
      if (fault.isEmpty() && lost != null && lost.remaining().getAndDecrement() > 0) {
        reply = lost.reply();
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private Reply forward(HttpExchange exchange, byte[] body, String operation, JsonNode request)
      throws IOException {
    HttpRequest.Builder out =
        HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> out.header(name, value));
              }
            });
    HttpResponse<String> response;
    try {
      response = client.send(out.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding", e);
    }
    Rewrite rewrite = rewrites.get(operation);
    if (rewrite == null || response.statusCode() != 200) {
      return new Reply(response.statusCode(), response.body());
    }
    JsonNode rewritten = rewrite.answer(request, JSON.readTree(response.body()));
    return new Reply(200, JSON.writeValueAsString(rewritten));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
