package dev.queuescaler.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * What a local run did: the content of summary.json. The message ages are empty when no message was
 * processed: an age of 0 would read as instant service.
 */
record RunSummary(
    long messagesSent,
    long processed,
    long failedToDeadLetterQueue,
    long maxBacklog,
    OptionalDouble p50AgeSeconds,
    OptionalDouble p99AgeSeconds,
    double taskMinutes,
    long scalingActions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fields in this order; an age that does not exist is {@code null}. */
  ObjectNode json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("messagesSent", messagesSent);
    node.put("processed", processed);
    node.put("failedToDeadLetterQueue", failedToDeadLetterQueue);
    node.put("maxBacklog", maxBacklog);
    age(node, "p50AgeSeconds", p50AgeSeconds);
    age(node, "p99AgeSeconds", p99AgeSeconds);
    node.put("taskMinutes", taskMinutes);
    node.put("scalingActions", scalingActions);
    return node;
  }

  String prettyJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The console's last line: the summary, and in words when there is no age to give. */
  String line(Path out) {
    String noAge =
        p99AgeSeconds.isEmpty() ? "no message was processed (p50/p99 message age n/a); " : "";
    return "summary: " + noAge + json() + " (in " + out + ")";
  }

  private static void age(ObjectNode node, String name, OptionalDouble seconds) {
    if (seconds.isPresent()) {
      node.put(name, seconds.getAsDouble());
    } else {
      node.putNull(name);
    }
  }
}
