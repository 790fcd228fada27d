package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the targets' tunables come from (SSM Parameter Store, or a local properties file). */
public interface ParameterSource {

  /**
   * Every parameter under the prefix, by name relative to it ({@code orders/max-tasks}), read anew
   * on each call so that a change takes effect on the next cycle.
   *
   * @throws RuntimeException when the parameters cannot be read
   */
  Map<String, String> readAll();

  /**
   * One target's parameters, named as {@link #readAll} names them. This default reads everything
   * and keeps the target's; Parameter Store reads the target's own path.
   *
   * @throws RuntimeException when the parameters cannot be read
   */
  default Map<String, String> readTarget(TargetName target) {
    Map<String, String> mine = new LinkedHashMap<>();
    readAll()
        .forEach(
            (name, value) -> {
              if (name.startsWith(target.value() + "/")) {
                mine.put(name, value);
              }
            });
    return mine;
  }

  /** Where the parameters live, for messages ({@code /queue-scaler}). */
  String describe();
}
