package dev.queuescaler.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One unit of simulated work.
 *
 * @param id a UUID, for logs and traces
 * @param workMillis how long the default handler works on it (sleeps: I/O-bound work), >= 0
 * @param fail whether processing throws (to exercise redelivery and the dead-letter queue)
 * @param payload random text that brings the body to the size asked for
 */
public record WorkMessage(String id, int workMillis, boolean fail, String payload) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();

  public WorkMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
    if (workMillis < 0) {
      throw new IllegalArgumentException("workMillis must be >= 0 but was " + workMillis);
    }
  }

  /** The body as sent: compact JSON, fields in the documented order. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("id", id);
      json.writeNumberField("workMillis", workMillis);
      json.writeBooleanField("fail", fail);
      json.writeStringField("payload", payload);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads a body.
   *
   * @throws InvalidMessageException when the body is not JSON, not an object, or misses or mistypes
   *     a field; the message says which
   */
  public static WorkMessage parse(String body) throws InvalidMessageException {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidMessageException("body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidMessageException("body must be a JSON object");
    }
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new InvalidMessageException("\"id\" must be a non-empty string");
    }
    JsonNode work = node.get("workMillis");
    if (work == null || !work.canConvertToInt() || !work.isIntegralNumber() || work.asInt() < 0) {
      throw new InvalidMessageException("\"workMillis\" must be an integer >= 0");
    }
    JsonNode fail = node.get("fail");
    if (fail == null || !fail.isBoolean()) {
      throw new InvalidMessageException("\"fail\" must be true or false");
    }
    JsonNode payload = node.get("payload");
    if (payload == null || !payload.isTextual()) {
      throw new InvalidMessageException("\"payload\" must be a string");
    }
    return new WorkMessage(id.asText(), work.asInt(), fail.asBoolean(), payload.asText());
  }
}
