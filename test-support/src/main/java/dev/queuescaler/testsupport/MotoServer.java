package dev.queuescaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moto, the getmoto/moto AWS emulator, in server mode ({@code moto_server}) on a free loopback
 * port: every service on one endpoint, for tests that need AWS's behaviour (CloudFormation, ECS,
 * SSM, Lambda, S3, ...) rather than injected faults. Started by the test, stopped after it.
 *
 * <p>Install with {@code pip install "moto[server]"} (5.2.1 is what the tests were written
 * against); {@code .ci/run} checks that {@code moto_server} is on the PATH.
 */
public final class MotoServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path log;

  public MotoServer() {
    port = freePort();
    try {
      log = Files.createTempFile("moto-server", ".log");
      process =
          new ProcessBuilder(
                  List.of("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port)))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start moto_server; install it with: pip install \"moto[server]\"", e);
    }
    awaitListening();
  }

  /** {@code http://127.0.0.1:PORT}, for {@code AWS_ENDPOINT_URL} and endpoint overrides. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited at start: " + tail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("moto_server did not listen within " + START_TIMEOUT);
  }

  private String tail() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
