package dev.queuescaler.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/** Structured log lines: {@code {"time":..., "level":..., "event":..., ...fields}}. */
public final class JsonLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;

  public JsonLog(PrintStream out) {
    this.out = out;
  }

  public void info(String event, Map<String, ?> fields) {
    write("INFO", event, fields);
  }

  public void warn(String event, Map<String, ?> fields) {
    write("WARN", event, fields);
  }

  public void error(String event, Map<String, ?> fields) {
    write("ERROR", event, fields);
  }

  private void write(String level, String event, Map<String, ?> fields) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("logger", "queue-worker");
    line.put("event", event);
    fields.forEach((key, value) -> line.set(key, JSON.valueToTree(value)));
    out.println(line.toString());
  }
}
