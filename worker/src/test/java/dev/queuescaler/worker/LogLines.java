package dev.queuescaler.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The worker's JSON log as tests read it: the lines of one event, parsed. */
final class LogLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LogLines() {}

  /** Every line of {@code log} whose event is {@code event}, in order (other output skipped). */
  static List<JsonNode> of(String event, String log) {
    return log.lines()
        .filter(line -> line.startsWith("{"))
        .map(LogLines::parse)
        .filter(line -> line.path("event").asText().equals(event))
        .toList();
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("a log line that is not one JSON object: " + line, e);
    }
  }
}
