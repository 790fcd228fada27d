package dev.queuescaler.scaler.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.config.TargetName;
import java.io.IOException;
import java.util.Optional;

/**
 * Parameter Store's change event as EventBridge delivers it ({@code "source": "aws.ssm"}, {@code
 * "detail-type": "Parameter Store Change"}, {@code detail.name} the parameter's full name), whether
 * it invokes the function or waits in the scaler's queue. It carries no value.
 */
public final class ParameterStoreChangeEvent {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ParameterStoreChangeEvent() {}

  /** Whether {@code payload} is such an event. */
  public static boolean isOne(byte[] payload) {
    try {
      JsonNode event = JSON.readTree(payload);
      return event != null
          && event.isObject()
          && "aws.ssm".equals(event.path("source").asText())
          && "Parameter Store Change".equals(event.path("detail-type").asText());
    } catch (IOException notJson) {
      return false;
    }
  }

  /**
   * Why {@code payload} tells of no change under {@code prefix}: not JSON, not Parameter Store's
   * change event, a change that names no parameter, or one of a parameter outside the prefix (a
   * test message, or another rule pointed at the queue). Empty for a change under the prefix, even
   * one that names no target ({@code <prefix>/x}): a walk over the prefix answers that.
   */
  public static Optional<String> whyNoChange(byte[] payload, String prefix) {
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (IOException notJson) {
      String detail =
          notJson instanceof JsonProcessingException parse
              ? parse.getOriginalMessage()
              : notJson.getMessage();
      return Optional.of("not JSON (" + detail + ")");
    }
    if (event == null || !event.isObject()) {
      return Optional.of("not a JSON object");
    }
    String source = event.path("source").asText("");
    String detailType = event.path("detail-type").asText("");
    if (!"aws.ssm".equals(source) || !"Parameter Store Change".equals(detailType)) {
      return Optional.of(
          "not a Parameter Store change event (source \""
              + source
              + "\", detail-type \""
              + detailType
              + "\")");
    }
    String name = event.path("detail").path("name").asText("");
    if (name.isEmpty()) {
      return Optional.of("a Parameter Store change event that names no parameter (detail.name)");
    }
    if (!name.equals(prefix) && !name.startsWith(prefix + "/")) {
      return Optional.of("a change of " + name + ", a parameter outside " + prefix);
    }
    return Optional.empty();
  }

  /**
   * The target whose parameter the event names ({@code detail.name} of the form {@code
   * <prefix>/<target>/<key>}, or deeper: {@code <prefix>/<target>/a/b}); empty when it names none
   * (anything else under the prefix, no name, not JSON), so that the whole prefix is read again. A
   * deeper name is the target's: the walk over the prefix groups it under the target, and the
   * target's own read (its path, recursively) finds it, so reading that path is the whole change.
   */
  public static Optional<TargetName> changedTarget(byte[] payload, String prefix) {
    String name;
    try {
      JsonNode event = JSON.readTree(payload);
      name = event == null ? "" : event.path("detail").path("name").asText("");
    } catch (IOException notJson) {
      return Optional.empty();
    }
    if (!name.startsWith(prefix + "/")) {
      return Optional.empty();
    }
    String relative = name.substring(prefix.length() + 1);
    int slash = relative.indexOf('/');
    if (slash < 0
        || slash == relative.length() - 1
        || !TargetName.isValid(relative.substring(0, slash))) {
      return Optional.empty();
    }
    return Optional.of(new TargetName(relative.substring(0, slash)));
  }
}
