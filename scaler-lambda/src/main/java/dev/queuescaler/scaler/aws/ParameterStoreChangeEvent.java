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
   * <prefix>/<target>/<key>}); empty when it names none (anything else under the prefix, no name,
   * not JSON), so that the whole prefix is read again.
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
    String[] parts = name.substring(prefix.length() + 1).split("/", -1);
    if (parts.length != 2 || parts[1].isEmpty() || !TargetName.isValid(parts[0])) {
      return Optional.empty();
    }
    return Optional.of(new TargetName(parts[0]));
  }
}
