package dev.queuescaler.scaler.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.aws.IdleCheckMessages;
import dev.queuescaler.scaler.aws.ParameterStoreChangeEvent;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.IdleCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the invocation payload. The scheduler's event (an EventBridge "Scheduled Event", or the
 * Scheduler's input) needs no field; two optional top-level fields narrow a run by hand: {@code
 * "target": "<name>"} and {@code "dryRun": true}. Anything that is not a JSON object, a field given
 * twice, one of these two null or of the wrong type, or written another way ({@code dryrun}, {@code
 * dry_run}, {@code targets}, {@code targetName}) or nested in an object below the top level, or
 * anything after the object, is rejected before anything is read or scaled. Any other field is
 * ignored (a Scheduled Event carries its own).
 *
 * <p>The checks queue's event (SQS, {@code "Records"} with {@code "eventSource": "aws:sqs"})
 * carries idle checks ({@link IdleCheckMessages}); any other SQS event is rejected, never run as a
 * cycle.
 */
public final class InvocationEvent {

  // A field given twice has no one meaning: {"dryRun": true, "dryRun": false} is rejected.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private InvocationEvent() {}

  /**
   * Whether the payload is Parameter Store's change event ({@code "source": "aws.ssm"}, {@code
   * "detail-type": "Parameter Store Change"}), which a stack routes here for the prefix (the stacks
   * before the change queue; newer ones send it to the queue).
   */
  public static boolean isParameterStoreChange(byte[] payload) {
    return ParameterStoreChangeEvent.isOne(payload); // parse() rejects what is not JSON
  }

  /**
   * The target whose parameter a Parameter Store change event names ({@code detail.name} of the
   * form {@code <prefix>/<target>/<key>}, or deeper: {@code <prefix>/<target>/a/b}); empty when it
   * names none (anything else under the prefix, or no name), so that the whole prefix is read
   * again. A deeper name is the target's: the walk over the prefix groups it under the target, and
   * the target's own read (its path, recursively) finds it, so reading that path is the whole
   * change.
   */
  public static Optional<TargetName> changedTarget(byte[] payload, String prefix) {
    return ParameterStoreChangeEvent.changedTarget(payload, prefix);
  }

  /** Whether the payload is an SQS event of the checks queue (every record an idle check). */
  public static boolean isIdleCheck(byte[] payload) {
    try {
      JsonNode event = JSON.readTree(payload);
      if (!isSqsEvent(event)) {
        return false;
      }
      for (JsonNode record : event.get("Records")) {
        if (!IdleCheckMessages.isCheck(JSON.readTree(record.path("body").asText("")))) {
          return false;
        }
      }
      return true;
    } catch (IOException notJson) {
      return false; // parse() rejects it with the reason
    }
  }

  /**
   * The idle checks of a checks-queue event, all or none.
   *
   * @throws IllegalArgumentException naming the record and what is wrong with it
   */
  public static List<IdleCheck> idleChecks(byte[] payload) {
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("the invocation payload is not JSON: " + e.getMessage());
    }
    if (!isSqsEvent(event)) {
      throw new IllegalArgumentException("not an SQS event of idle checks");
    }
    List<IdleCheck> checks = new ArrayList<>();
    for (JsonNode record : event.get("Records")) {
      try {
        checks.add(IdleCheckMessages.decode(record.path("body").asText("")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "check message " + record.path("messageId").asText("?") + ": " + e.getMessage(), e);
      }
    }
    return checks;
  }

  private static String idleCheckProblem(byte[] payload) {
    try {
      idleChecks(payload);
      return "unknown";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static boolean isSqsEvent(JsonNode event) {
    if (event == null || !event.isObject() || !event.path("Records").isArray()) {
      return false;
    }
    JsonNode records = event.get("Records");
    if (records.isEmpty()) {
      return false;
    }
    for (JsonNode record : records) {
      if (!"aws:sqs".equals(record.path("eventSource").asText())) {
        return false;
      }
    }
    return true;
  }

  public static CycleRequest parse(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    if (text.isBlank() || text.strip().equals("null")) {
      return CycleRequest.ALL_TARGETS;
    }
    JsonNode event;
    // The payload as sent, not stripped: a character an error names is one its sender can count.
    try (JsonParser parser = JSON.createParser(text)) {
      event = JSON.readTree(parser);
      // {"target":"orders"} {"dryRun":true} has no one meaning: reading the first object alone
      // would run a real cycle where a dry run was asked for.
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(
            "the invocation payload must be one JSON object, but more follows it at character "
                + (parser.currentTokenLocation().getCharOffset() + 1));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the invocation payload is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!event.isObject()) {
      throw new IllegalArgumentException(
          "the invocation payload must be a JSON object but was " + event.getNodeType());
    }
    if (isSqsEvent(event)) {
      // A message on a queue the function reads that is no check: garbage, never a cycle.
      throw new IllegalArgumentException(
          "an SQS event whose messages are not all idle checks: " + idleCheckProblem(payload));
    }
    rejectLookalikes(event);
    Optional<TargetName> target = Optional.empty();
    // A null is no value: read as absent it would run every target, and for real.
    JsonNode targetField = event.get("target");
    if (targetField != null) {
      if (!targetField.isTextual() || !TargetName.isValid(targetField.asText())) {
        throw new IllegalArgumentException(
            "\"target\" must be a target name ([A-Za-z0-9._-]{1,64}) but was " + targetField);
      }
      target = Optional.of(new TargetName(targetField.asText()));
    }
    boolean dryRun = false;
    JsonNode dryRunField = event.get("dryRun");
    if (dryRunField != null) {
      if (!dryRunField.isBoolean()) {
        throw new IllegalArgumentException(
            "\"dryRun\" must be true or false but was " + dryRunField);
      }
      dryRun = dryRunField.asBoolean();
    }
    return new CycleRequest(target, dryRun);
  }

  /** The two fields a run by hand may give, by the names they are read under. */
  private static final List<String> FIELDS = List.of("dryRun", "target");

  /**
   * Rejects a field that is one of {@link #FIELDS} in another case or style, or with more after it
   * ({@code dryrun}, {@code dry_run}, {@code Target}, {@code targets}): read under its own name
   * nothing would take it, and {@code {"dryrun": true}} would scale for real. Other fields stay
   * allowed (a Scheduled Event carries its own, and none of them looks like these).
   */
  private static void rejectLookalikes(JsonNode event) {
    for (var fields = event.fields(); fields.hasNext(); ) {
      var field = fields.next();
      rejectNested(field.getValue(), field.getKey());
    }
    for (var names = event.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String letters = lettersOf(name);
      for (String field : FIELDS) {
        if (!name.equals(field) && letters.startsWith(lettersOf(field))) {
          throw new IllegalArgumentException(
              "\""
                  + name
                  + "\" is not \""
                  + field
                  + "\": the only fields are \"target\" and \"dryRun\", spelled exactly so;"
                  + " nothing was read or scaled");
        }
      }
    }
  }

  /**
   * Rejects a field like one of {@link #FIELDS} below the top level ({@code {"detail": {"dryRun":
   * true}}}, as if the payload were an event's detail or a schedule's input): it would be ignored,
   * and every target would run for real. {@code path} names where {@code node} is.
   */
  private static void rejectNested(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectNested(node.get(i), path + "[" + i + "]");
      }
      return;
    }
    for (var fields = node.fields(); fields.hasNext(); ) {
      var field = fields.next();
      String at = path + "." + field.getKey();
      String letters = lettersOf(field.getKey());
      for (String top : FIELDS) {
        if (letters.startsWith(lettersOf(top))) {
          throw new IllegalArgumentException(
              "\""
                  + at
                  + "\" is not a top-level field: \"target\" and \"dryRun\" narrow a run only at"
                  + " the payload's top level; nothing was read or scaled");
        }
      }
      rejectNested(field.getValue(), at);
    }
  }

  /** {@code name}'s letters and digits in lower case: {@code Dry-Run} is {@code dryrun}. */
  private static String lettersOf(String name) {
    StringBuilder kept = new StringBuilder(name.length());
    name.codePoints()
        .filter(Character::isLetterOrDigit)
        .map(Character::toLowerCase)
        .forEach(kept::appendCodePoint);
    return kept.toString();
  }
}
