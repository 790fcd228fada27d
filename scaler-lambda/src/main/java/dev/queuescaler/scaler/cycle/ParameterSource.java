package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Where the targets' tunables come from (SSM Parameter Store, or a local properties file). */
public interface ParameterSource {

  /**
   * The parameters a cycle runs on.
   *
   * @param values every parameter under the prefix, by name relative to it
   * @param unread each target whose latest change could not be read, with why: its values are the
   *     ones read before, and the change is read again on the next cycle
   */
  record Reading(Map<String, String> values, Map<TargetName, String> unread) {
    public Reading {
      values = Map.copyOf(Objects.requireNonNull(values, "values"));
      unread = Map.copyOf(Objects.requireNonNull(unread, "unread"));
    }
  }

  /**
   * Every parameter under the prefix, by name relative to it ({@code orders/max-tasks}), read anew
   * on each call so that a change takes effect on the next cycle.
   *
   * @throws RuntimeException when the parameters cannot be read
   */
  Map<String, String> readAll();

  /**
   * What a cycle runs on: {@link #readAll}, and the targets whose latest change could not be read.
   * This default reads everything anew, so nothing is ever left unread.
   *
   * @throws RuntimeException when the parameters cannot be read at all
   */
  default Reading read() {
    return new Reading(readAll(), Map.of());
  }

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
