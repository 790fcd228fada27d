package dev.queuescaler.scaler.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.IdleCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a check message on the checks queue: {@code {"idleCheck": {"invoked":
 * "2026-11-27T12:00:00Z", "offsetSeconds": 15, "targets": [{"name": "orders", "queueUrl":
 * "..."}]}}}. Written by the scheduled invocation, read by the check invocation, which rejects
 * anything else whole: a check acts on nothing it cannot read.
 */
public final class IdleCheckMessages {

  /** The field that marks a check message. */
  public static final String FIELD = "idleCheck";

  private static final ObjectMapper JSON = new ObjectMapper();

  private IdleCheckMessages() {}

  public static String encode(IdleCheck check) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode fields = body.putObject(FIELD);
    fields.put("invoked", check.invoked().toString());
    fields.put("offsetSeconds", check.offset().toSeconds());
    ArrayNode targets = fields.putArray("targets");
    for (IdleCheck.Target target : check.targets()) {
      targets.addObject().put("name", target.name().value()).put("queueUrl", target.queueUrl());
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
    if (!offset.isIntegralNumber()) {
      throw new IllegalArgumentException("\"offsetSeconds\" must be a whole number of seconds");
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
      named.add(new IdleCheck.Target(new TargetName(name.asText()), queueUrl.asText()));
    }
    try {
      return new IdleCheck(
          Instant.parse(invoked.asText()), Duration.ofSeconds(offset.asLong()), named);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"invoked\" must be an ISO-8601 instant but was " + invoked);
    }
  }
}
