package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each target's last valid configuration: the values that last validated, kept where every
 * container of the function finds them, so that a change that does not validate leaves the last
 * valid one in force even in a container that never saw it.
 */
public interface ValidConfigurations {

  /**
   * A target's configuration as stored.
   *
   * @param values its keys and values as they were under the prefix ({@code max-tasks} to {@code
   *     50}), validated again when used
   * @param storedAt when they were first found valid
   */
  record Stored(Map<String, String> values, Instant storedAt) {
    public Stored {
      values = Map.copyOf(values);
      Objects.requireNonNull(storedAt, "storedAt");
    }
  }

  /**
   * The stored configurations of these targets; a target with none is absent.
   *
   * @throws RuntimeException when they cannot be read
   */
  Map<TargetName, Stored> load(Collection<TargetName> targets);

  /**
   * Stores (replaces) a target's configuration.
   *
   * @throws RuntimeException when it cannot be written
   */
  void save(TargetName target, Stored configuration);

  /**
   * Removes a target's configuration: its parameters are all gone, so a target of that name created
   * later starts without one.
   *
   * @throws RuntimeException when it cannot be removed
   */
  void forget(TargetName target);

  /** Configurations held by this object alone: one container, or a local run. */
  static ValidConfigurations inMemory() {
    return new ValidConfigurations() {
      private final Map<TargetName, Stored> stored = new ConcurrentHashMap<>();

      @Override
      public Map<TargetName, Stored> load(Collection<TargetName> targets) {
        Map<TargetName, Stored> found = new HashMap<>();
        for (TargetName target : targets) {
          if (stored.containsKey(target)) {
            found.put(target, stored.get(target));
          }
        }
        return found;
      }

      @Override
      public void save(TargetName target, Stored configuration) {
        stored.put(target, configuration);
      }

      @Override
      public void forget(TargetName target) {
        stored.remove(target);
      }
    };
  }
}
