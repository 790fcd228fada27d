package dev.queuescaler.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (an open-source, DynamoDB-compatible server on LevelDB, in memory here) as a child
 * process on loopback, so the real DynamoDB client and its HTTP path run in the tests. The build
 * installs it with npm (see the module's pom); its path comes in as {@code dynalite.cli}.
 */
public final class Dynalite implements AutoCloseable {

  private final Process process;
  private final URI endpoint;

  public Dynalite() {
    Path cli =
        Path.of(System.getProperty("dynalite.cli", "target/dynalite/node_modules/dynalite/cli.js"));
    if (!Files.isRegularFile(cli)) {
      throw new IllegalStateException(
          "dynalite is not installed at " + cli + ": run ./mvnw verify (it installs it with npm)");
    }
    int port = freePort();
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "node",
                      cli.toString(),
                      "--port",
                      Integer.toString(port),
                      "--createTableMs",
                      "0",
                      "--deleteTableMs",
                      "0",
                      "--updateTableMs",
                      "0"))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.contains("listening")) {
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not start: " + line);
      }
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (out.readLine() != null) {
                    // keep the pipe empty
                  }
                } catch (IOException ignored) {
                  // process ended
                }
              },
              "dynalite-output");
      drain.setDaemon(true);
      drain.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + cli, e);
    }
    endpoint = URI.create("http://127.0.0.1:" + port);
  }

  public URI endpoint() {
    return endpoint;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
