package dev.queuescaler.local;

import dev.queuescaler.scaler.config.ClosestName;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.cycle.ParameterSource;
import dev.queuescaler.worker.WorkerSettings;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * Rejects a file the run cannot use, before the run starts: one that is missing (the run would go
   * on code defaults that nobody chose), unreadable, or whose keys or values the scaler would
   * reject, with an unknown key's closest setting.
   *
   * @param option the option that named the file, for the message
   */
  static void check(Path file, String option) {
    String named = option + " " + file;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          named
              + " does not exist: give the tunables file (local/scaler.properties from the"
              + " repository root)");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(named + " is not a file");
    }
    Map<String, String> parameters;
    try {
      parameters = new PropertiesParameterSource(file, CHECK_QUEUE_URL).readAll();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        // The decoder's own words ("Input length = 1") name neither the cause nor the remedy.
        throw new IllegalArgumentException(
            named + " is not UTF-8 text: save it as UTF-8 (an older editor may write Latin-1)");
      }
      throw new IllegalArgumentException(named + " cannot be read: " + e.getCause().getMessage());
    }
    List<String> problems = new ArrayList<>();
    List<String> keys = ParameterKey.keys();
    String prefix = TARGET + "/";
    for (String name : parameters.keySet()) {
      String key = name.substring(prefix.length());
      if (ParameterKey.byKey(key).isEmpty()) {
        problems.add(key + " is not a setting" + ClosestName.suggestion(key, keys));
      }
    }
    if (problems.isEmpty()) {
      var configuration = ConfigurationParser.parse(parameters);
      problems.addAll(configuration.warnings());
      configuration.rejected().forEach(target -> problems.addAll(target.allProblems()));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(named + " is rejected: " + String.join("; ", problems));
    }
  }

  /**
   * The tunables take numbers, true/false and names, none with a backslash, and
   * java.util.Properties reads one as an escape: it drops a backslash that starts none ({@code 5\0}
   * reads as 50) and throws on a malformed unicode escape. So a line with a backslash outside a
   * comment is not given to it: its value is taken as written, backslash and all, for the scaler to
   * reject like any other bad value (named at the start; mid-run, the last settings stay in force).
   * Returns the other lines, for java.util.Properties; {@code asWritten} gets those lines' keys and
   * values.
   */
  private static List<String> setAsideBackslashLines(
      List<String> lines, Map<String, String> asWritten) {
    List<String> others = new ArrayList<>();
    for (String line : lines) {
      String stripped = line.strip();
      if (!hasABackslash(stripped)) {
        others.add(line);
        continue;
      }
      Matcher keyValue = KEY_VALUE.matcher(stripped);
      if (keyValue.matches()) {
        asWritten.put(keyValue.group(1), keyValue.group(2));
      } else {
        // A key alone: named as it is written, it is no setting.
        asWritten.put(stripped, "");
      }
    }
    return others;
  }

  private static boolean hasABackslash(String strippedLine) {
    return !strippedLine.startsWith("#")
        && !strippedLine.startsWith("!")
        && strippedLine.indexOf('\\') >= 0;
  }

  /** A key up to the first separator ({@code =}, {@code :} or white space), then its value. */
  private static final Pattern KEY_VALUE = Pattern.compile("([^=:\\s]+)\\s*[=:\\s]\\s*(.*)");

  /** The queue a check reads the file for: the local run's queue is made later. */
  private static final String CHECK_QUEUE_URL = "http://localhost:9324/000000000000/local-work";

  @Override
  public Map<String, String> readAll() {
    Properties properties = new Properties();
    Map<String, String> asWritten = new LinkedHashMap<>();
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // An editor's byte order mark would otherwise be part of the first key.
      List<String> lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).lines().toList();
      properties.load(
          new StringReader(String.join("\n", setAsideBackslashLines(lines, asWritten))));
    } catch (IOException e) {
      // Missing mid-run too: a failed read is a cycle that changes nothing (the scaler's rule),
      // where an empty file would silently scale on the code's defaults.
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> parameters = new HashMap<>();
    fixed.forEach((key, value) -> parameters.put(TARGET + "/" + key, value));
    properties.forEach((key, value) -> parameters.put(TARGET + "/" + key, value.toString()));
    asWritten.forEach((key, value) -> parameters.put(TARGET + "/" + key, value));
    return parameters;
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
