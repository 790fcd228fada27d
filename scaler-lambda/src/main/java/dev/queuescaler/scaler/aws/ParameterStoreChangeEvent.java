package dev.queuescaler.scaler.aws;

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
