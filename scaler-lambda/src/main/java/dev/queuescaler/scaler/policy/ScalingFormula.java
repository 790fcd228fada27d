package dev.queuescaler.scaler.policy;

import java.util.Arrays;
import java.util.Optional;

/** The formulas a target can select with its {@code policy} key. */
public enum ScalingFormula {
  /** The backlog-per-task formula: ceil(backlog / backlog-per-task). */
  BACKLOG_PER_TASK("backlog-per-task"),
  /** The larger of the backlog formula and the {@link LoadTerm}. */
  BACKLOG_AND_LOAD("backlog-and-load");

  private final String key;

  ScalingFormula(String key) {
    this.key = key;
  }

  /** The value as written in SSM. */
  public String key() {
    return key;
  }

  public static Optional<ScalingFormula> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }
}
