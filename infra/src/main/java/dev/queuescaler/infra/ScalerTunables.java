package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.ScalingFormula;
import java.util.EnumMap;
import java.util.Map;

/**
 * A target's tunables as written to SSM: every key of the scaler's contract at its default unless
 * set here. Validated with the contract's own ranges, so a bad value fails synthesis naming it.
 *
 * <p>The formula is {@code policy}, else the default {@code backlog-and-load} when the worker's
 * {@code task-concurrency} is set, else the mission's {@code backlog-per-task}: the formula the
 * scaler itself falls back to without that fact. The stabilization and tolerance defaults written
 * are that formula's, so the values in SSM are the ones the scaler runs on.
 */
public final class ScalerTunables {

  private final Map<ParameterKey, String> explicit = new EnumMap<>(ParameterKey.class);

  private ScalerTunables() {}

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
        if (number < key.minimum() || number > key.maximum()) {
          throw new IllegalArgumentException(
              key.key() + " must be " + key.valid() + " but was " + number);
        }
      }
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException(key.key() + " must be true or false but was " + text);
        }
      }
      case CHOICE -> {
        if (key == ParameterKey.POLICY && ScalingFormula.byKey(text).isEmpty()) {
          throw new IllegalArgumentException(
              key.key() + " must be one of " + key.valid() + " but was " + text);
        }
      }
      case TEXT -> throw new IllegalStateException("unreachable: " + key);
    }
    ScalerTunables copy = new ScalerTunables();
    copy.explicit.putAll(explicit);
    copy.explicit.put(key, text);
    copy.check();
    return copy;
  }

  /** Every tunable key with the value to write. */
  public Map<ParameterKey, String> values() {
    ScalingFormula formula = formula();
    Map<ParameterKey, String> values = new EnumMap<>(ParameterKey.class);
    for (ParameterKey key : ParameterKey.values()) {
      if (!key.isRequired()) {
        values.put(key, explicit.getOrDefault(key, key.defaultValue(formula)));
      }
    }
    values.put(ParameterKey.POLICY, formula.key());
    return Map.copyOf(values);
  }

  private ScalingFormula formula() {
    return explicit.containsKey(ParameterKey.POLICY)
        ? ScalingFormula.byKey(explicit.get(ParameterKey.POLICY)).orElseThrow()
        : ParameterKey.defaultFormula(taskConcurrency());
  }

  private int taskConcurrency() {
    return Integer.parseInt(
        explicit.getOrDefault(
            ParameterKey.TASK_CONCURRENCY, ParameterKey.TASK_CONCURRENCY.defaultValue()));
  }

  private void check() {
    int min = integer(ParameterKey.MIN_TASKS);
    int max = integer(ParameterKey.MAX_TASKS);
    if (min > max) {
      throw new IllegalArgumentException(
          "min-tasks (" + min + ") must not be above max-tasks (" + max + ")");
    }
    if (formula() == ScalingFormula.BACKLOG_AND_LOAD && taskConcurrency() == 0) {
      throw new IllegalArgumentException(
          "policy backlog-and-load needs task-concurrency: the worker's messages at a time");
    }
  }

  private int integer(ParameterKey key) {
    return Integer.parseInt(explicit.getOrDefault(key, key.defaultValue()));
  }
}
