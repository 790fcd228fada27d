package dev.queuescaler.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the Lambda event: {@code {"count": 500, "bodyBytes": 256, "workMillis": 100, "failRate":
 * 0.0}} or, instead of count, {@code "profile": {"shape": "sine", "min": 0, "max": 1000,
 * "periodMinutes": 60}}; optional {@code "queueUrl"} (else the function's QUEUE_URL) and {@code
 * "seed"}. A wrong type, an unknown field, a value out of range, a null or missing count without a
 * profile, or both, is rejected naming the field.
 */
final class GeneratorEvent {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("count", "profile", "bodyBytes", "workMillis", "failRate", "queueUrl", "seed");
  private static final Set<String> PROFILE_FIELDS = Set.of("shape", "min", "max", "periodMinutes");

  private GeneratorEvent() {}

  static GenerateRequest parse(byte[] payload, Optional<String> defaultQueueUrl) {
    JsonNode event;
    try {
      event = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the event is not JSON: " + e.getOriginalMessage());
    }
    if (event == null || !event.isObject()) {
      throw new IllegalArgumentException("the event must be a JSON object");
    }
    rejectUnknown(event, FIELDS, "");
    Optional<LoadProfile> profile = Optional.empty();
    JsonNode profileNode = event.get("profile");
    boolean hasProfile = event.hasNonNull("profile");
    // A null count is no count: sending none would look like a run that did its job.
    if (!hasProfile && !event.hasNonNull("count")) {
      throw new IllegalArgumentException("count or profile is required");
    }
    // Which one the caller meant is not ours to guess.
    if (hasProfile && event.hasNonNull("count")) {
      throw new IllegalArgumentException("give count or profile, not both");
    }
    if (hasProfile) {
      if (!profileNode.isObject()) {
        throw new IllegalArgumentException("profile must be an object");
      }
      rejectUnknown(profileNode, PROFILE_FIELDS, "profile.");
      JsonNode shape = profileNode.get("shape");
      if (shape == null || !shape.isTextual()) {
        throw new IllegalArgumentException("profile.shape is required: sine, square or ramp");
      }
      profile =
          Optional.of(
              new LoadProfile(
                  Shape.parse(shape.asText()),
                  integer(profileNode, "min", 0, "profile."),
                  integer(profileNode, "max", -1, "profile."),
                  integer(profileNode, "periodMinutes", 60, "profile.")));
    }
    String queueUrl =
        event.hasNonNull("queueUrl") ? text(event, "queueUrl") : defaultQueueUrl.orElse("");
    Optional<Long> seed =
        event.hasNonNull("seed") ? Optional.of(longValue(event, "seed")) : Optional.empty();
    return new GenerateRequest(
        queueUrl,
        profile.isPresent() ? 0 : integer(event, "count", 0, ""),
        profile,
        integer(event, "bodyBytes", GenerateRequest.DEFAULT_BODY_BYTES, ""),
        integer(event, "workMillis", GenerateRequest.DEFAULT_WORK_MILLIS, ""),
        number(event, "failRate", 0.0),
        seed);
  }

  private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown field " + prefix + name);
      }
    }
  }

  private static int integer(JsonNode node, String field, int fallback, String prefix) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback < 0) {
        throw new IllegalArgumentException(prefix + field + " is required");
      }
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(prefix + field + " must be an integer but was " + value);
    }
    return value.asInt();
  }

  private static long longValue(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer but was " + value);
    }
    return value.asLong();
  }

  private static double number(JsonNode node, String field, double fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number but was " + value);
    }
    return value.asDouble();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string but was " + value);
    }
    return value.asText();
  }
}
