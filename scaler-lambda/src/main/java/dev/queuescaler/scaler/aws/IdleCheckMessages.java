package dev.queuescaler.scaler.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.policy.BacklogRules;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a check message on the checks queue: {@code {"idleCheck": {"invoked":
 * "2026-11-27T12:00:00Z", "offsetSeconds": 15, "targets": [{"name": "orders", "queueUrl": "...",
 * "countInFlight": true, "countDelayed": false, "activationBacklog": 1}]}}}. Written by the
 * scheduled invocation, read by the check invocation, which rejects anything else whole (trailing
 * text, a duplicate field, a number out of its range): a check acts on nothing it cannot read. A
 * target without its three rules (a message sent before they were carried) counts every message.
 */
public final class IdleCheckMessages {

  /** The field that marks a check message. */
  public static final String FIELD = "idleCheck";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final String COUNT_IN_FLIGHT = "countInFlight";
  private static final String COUNT_DELAYED = "countDelayed";
  private static final String ACTIVATION_BACKLOG = "activationBacklog";

  private IdleCheckMessages() {}

  public static String encode(IdleCheck check) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode fields = body.putObject(FIELD);
    fields.put("invoked", check.invoked().toString());
    fields.put("offsetSeconds", check.offset().toSeconds());
    ArrayNode targets = fields.putArray("targets");
    for (IdleCheck.Target target : check.targets()) {
      targets
          .addObject()
          .put("name", target.name().value())
          .put("queueUrl", target.queueUrl())
          .put(COUNT_IN_FLIGHT, target.rules().countInFlight())
          .put(COUNT_DELAYED, target.rules().countDelayed())
          .put(ACTIVATION_BACKLOG, target.rules().activationBacklog());
    }
    return body.toString();
  }

  /** Whether {@code body} is meant as a check message (it may still be malformed). */
  public static boolean isCheck(JsonNode body) {
    return body != null && body.isObject() && body.has(FIELD);
  }

  /**
   * @throws IllegalArgumentException naming what is wrong, when the body is not a valid check
   */
  public static IdleCheck decode(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a check message is not JSON: " + e.getOriginalMessage());
    }
    if (!isCheck(root) || !root.get(FIELD).isObject()) {
      throw new IllegalArgumentException("a check message has no \"" + FIELD + "\" object");
    }
    JsonNode fields = root.get(FIELD);
    JsonNode invoked = fields.path("invoked");
    JsonNode offset = fields.path("offsetSeconds");
    JsonNode targets = fields.path("targets");
    if (!invoked.isTextual()) {
      throw new IllegalArgumentException("\"invoked\" must be an ISO-8601 instant");
    }
    // A number beyond a long would be read as its low bits (2^64 + 15 as 15): range first.
    if (!offset.isIntegralNumber() || !offset.canConvertToLong()) {
      throw new IllegalArgumentException(
          "\"offsetSeconds\" must be a whole number of seconds but was " + offset);
    }
    if (!targets.isArray()) {
      throw new IllegalArgumentException("\"targets\" must be an array");
    }
    List<IdleCheck.Target> named = new ArrayList<>();
    for (JsonNode target : targets) {
      JsonNode name = target.path("name");
      JsonNode queueUrl = target.path("queueUrl");
      if (!name.isTextual() || !TargetName.isValid(name.asText())) {
        throw new IllegalArgumentException(
            "a target's \"name\" must be a target name ([A-Za-z0-9._-]{1,64}) but was " + name);
      }
      if (!queueUrl.isTextual()) {
        throw new IllegalArgumentException(
            "the \"queueUrl\" of " + name.asText() + " must be text but was " + queueUrl);
      }
      named.add(
          new IdleCheck.Target(new TargetName(name.asText()), queueUrl.asText(), rules(target)));
    }
    Instant at;
    try {
      at = Instant.parse(invoked.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"invoked\" must be an ISO-8601 instant but was " + invoked);
    }
    return new IdleCheck(at, Duration.ofSeconds(offset.asLong()), named);
  }

  /** A target's backlog rules: all three, or none (a message from before they were carried). */
  private static BacklogRules rules(JsonNode target) {
    String name = target.path("name").asText();
    if (!target.has(COUNT_IN_FLIGHT)
        && !target.has(COUNT_DELAYED)
        && !target.has(ACTIVATION_BACKLOG)) {
      return BacklogRules.COUNT_EVERYTHING;
    }
    JsonNode inFlight = target.path(COUNT_IN_FLIGHT);
    JsonNode delayed = target.path(COUNT_DELAYED);
    JsonNode activation = target.path(ACTIVATION_BACKLOG);
    if (!inFlight.isBoolean() || !delayed.isBoolean()) {
      throw new IllegalArgumentException(
          "the \""
              + COUNT_IN_FLIGHT
              + "\" and \""
              + COUNT_DELAYED
              + "\" of "
              + name
              + " must be true or false but were "
              + inFlight
              + " and "
              + delayed);
    }
    if (!activation.isIntegralNumber() || !activation.canConvertToInt() || activation.asInt() < 1) {
      throw new IllegalArgumentException(
          "the \""
              + ACTIVATION_BACKLOG
              + "\" of "
              + name
              + " must be a whole number >= 1 but was "
              + activation);
    }
    return new BacklogRules(inFlight.asBoolean(), delayed.asBoolean(), activation.asInt());
  }
}
