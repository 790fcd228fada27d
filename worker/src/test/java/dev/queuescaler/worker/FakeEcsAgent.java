package dev.queuescaler.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ECS agent's task-protection endpoint on loopback: answers every call with 200 and keeps each
 * as {@code "METHOD body"}, in order. {@link #uri()} is what ECS puts in {@code ECS_AGENT_URI}.
 */
final class FakeEcsAgent implements AutoCloseable {

  /**
   * Longer than the worker's wait for an answer (3 s): a held release is never answered in time.
   */
  private static final long HOLD_MILLIS = 5_000;

  private final HttpServer server;
  private final List<String> calls = new ArrayList<>();
  private volatile Runnable onHeldRelease;

  FakeEcsAgent() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/task-protection/v1/state",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (calls) {
            calls.add(exchange.getRequestMethod() + " " + body);
          }
          Runnable held = onHeldRelease;
          if (held != null && body.contains("\"ProtectionEnabled\":false")) {
            held.run();
            try {
              Thread.sleep(HOLD_MILLIS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] ok = "{\"protection\":{}}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.start();
  }

  /**
   * From now on a release ({@code ProtectionEnabled false}) runs {@code onRelease} when it arrives
   * and is then left unanswered past the worker's wait: an agent that does not answer.
   */
  void holdReleases(Runnable onRelease) {
    onHeldRelease = onRelease;
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every call so far, {@code "PUT {\"ProtectionEnabled\":false}"} for example. */
  List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
