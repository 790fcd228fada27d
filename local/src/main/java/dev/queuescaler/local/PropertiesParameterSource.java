package dev.queuescaler.local;

import dev.queuescaler.scaler.cycle.ParameterSource;
import dev.queuescaler.worker.WorkerSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The local version of tuning through SSM: a properties file with the SSM key names ({@code
 * backlog-per-task=50}), read anew every tick, for the one target {@value #TARGET}. The queue,
 * cluster and service are the local run's own, and task-concurrency is what the local workers hold
 * at a time (as infra writes it for the deployed worker), unless the file sets them.
 */
final class PropertiesParameterSource implements ParameterSource {

  static final String TARGET = "local";

  private final Path file;
  private final Map<String, String> fixed;

  PropertiesParameterSource(Path file, String queueUrl) {
    this.file = file;
    this.fixed =
        Map.of(
            "queue-url",
            queueUrl,
            "cluster",
            "local",
            "service",
            "workers",
            "task-concurrency",
            Integer.toString(WorkerSettings.messagesAtOnce(LocalFleet.WORKER_CONCURRENCY)));
  }

  @Override
  public Map<String, String> readAll() {
    Properties properties = new Properties();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    Map<String, String> parameters = new HashMap<>();
    fixed.forEach((key, value) -> parameters.put(TARGET + "/" + key, value));
    properties.forEach((key, value) -> parameters.put(TARGET + "/" + key, value.toString()));
    return parameters;
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
