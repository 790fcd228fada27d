package dev.queuescaler.scaler.cycle;

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

  /** Where the parameters live, for messages ({@code /queue-scaler}). */
  String describe();
}
