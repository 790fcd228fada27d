package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import java.util.EnumMap;
import java.util.Map;

/**
 * A target's tunables as written to SSM: every key of the scaler's contract at its default unless
 * set here. Validated with the contract's own ranges, so a bad value fails synthesis naming it.
 */
public final class ScalerTunables {

  private final Map<ParameterKey, String> values = new EnumMap<>(ParameterKey.class);

  private ScalerTunables() {
    for (ParameterKey key : ParameterKey.values()) {
      if (!key.isRequired()) {
        values.put(key, key.defaultValue());
      }
    }
  }

  /** Every tunable at its default. */
  public static ScalerTunables defaults() {
    return new ScalerTunables();
  }

  /** This set with {@code key} set to {@code value}; rejects a value the scaler would reject. */
  public ScalerTunables with(ParameterKey key, Object value) {
    if (key.isRequired()) {
      throw new IllegalArgumentException(
          key.key() + " is set by the construct from the queue and the service, not by tunables");
    }
    String text = String.valueOf(value);
    switch (key.kind()) {
      case INTEGER -> {
        int number;
        try {
          number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(key.key() + " must be an integer but was " + text);
        }
        if (number < key.minimum()) {
          throw new IllegalArgumentException(
              key.key() + " must be " + key.valid() + " but was " + number);
        }
      }
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException(key.key() + " must be true or false but was " + text);
        }
      }
      case TEXT -> throw new IllegalStateException("unreachable: " + key);
    }
    ScalerTunables copy = new ScalerTunables();
    copy.values.putAll(values);
    copy.values.put(key, text);
    copy.checkLimits();
    return copy;
  }

  public Map<ParameterKey, String> values() {
    return Map.copyOf(values);
  }

  private void checkLimits() {
    int min = Integer.parseInt(values.get(ParameterKey.MIN_TASKS));
    int max = Integer.parseInt(values.get(ParameterKey.MAX_TASKS));
    if (min > max) {
      throw new IllegalArgumentException(
          "min-tasks (" + min + ") must not be above max-tasks (" + max + ")");
    }
  }
}
