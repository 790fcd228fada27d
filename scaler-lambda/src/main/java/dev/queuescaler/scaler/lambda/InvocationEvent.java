package dev.queuescaler.scaler.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.aws.ParameterStoreChangeEvent;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the invocation payload. The scheduler's event (an EventBridge "Scheduled Event", or the
 * Scheduler's input) needs no field; two optional top-level fields narrow a run by hand: {@code
 * "target": "<name>"} and {@code "dryRun": true}. Anything that is not a JSON object, or a field of
 * the wrong type, is rejected before anything is read or scaled.
 */
public final class InvocationEvent {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  public static CycleRequest parse(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8).strip();
    if (text.isEmpty() || text.equals("null")) {
      return CycleRequest.ALL_TARGETS;
    }
    JsonNode event;
    try {
      event = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the invocation payload is not JSON: " + e.getOriginalMessage());
    }
    if (!event.isObject()) {
      throw new IllegalArgumentException(
          "the invocation payload must be a JSON object but was " + event.getNodeType());
    }
    Optional<TargetName> target = Optional.empty();
    JsonNode targetField = event.get("target");
    if (targetField != null && !targetField.isNull()) {
      if (!targetField.isTextual() || !TargetName.isValid(targetField.asText())) {
        throw new IllegalArgumentException(
            "\"target\" must be a target name ([A-Za-z0-9._-]{1,64}) but was " + targetField);
      }
      target = Optional.of(new TargetName(targetField.asText()));
    }
    boolean dryRun = false;
    JsonNode dryRunField = event.get("dryRun");
    if (dryRunField != null && !dryRunField.isNull()) {
      if (!dryRunField.isBoolean()) {
        throw new IllegalArgumentException(
            "\"dryRun\" must be true or false but was " + dryRunField);
      }
      dryRun = dryRunField.asBoolean();
    }
    return new CycleRequest(target, dryRun);
  }
}
