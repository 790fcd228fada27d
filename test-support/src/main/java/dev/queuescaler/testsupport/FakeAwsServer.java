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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    Function<JsonNode, Reply> handler = handlers.get(operation);
    Reply reply =
        handler == null
            ? Reply.error(400, "UnknownOperationException", "no fake for " + operation)
            : handler.apply(body);
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
