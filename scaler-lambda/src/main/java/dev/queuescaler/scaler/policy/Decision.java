package dev.queuescaler.scaler.policy;

import java.util.Objects;

/**
 * The outcome of one decision for one target.
 *
 * @param backlog the messages counted as backlog, >= 0
 * @param current the desired count the service had when the decision was made, >= 0
 * @param recommended the formula's count after activation and limits, before stabilization, >= 0
 * @param desired the count to set, >= 0; equals {@code current} for a HOLD
 * @param action SCALE_OUT, SCALE_IN or HOLD, consistent with desired versus current
 * @param reason why
 */
public record Decision(
    long backlog, int current, int recommended, int desired, Action action, Reason reason) {

  public Decision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    if (backlog < 0 || current < 0 || recommended < 0 || desired < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
    Action implied =
        desired > current ? Action.SCALE_OUT : desired < current ? Action.SCALE_IN : Action.HOLD;
    if (implied != action) {
      throw new IllegalArgumentException(
          "action " + action + " contradicts current " + current + " -> desired " + desired);
    }
  }

  /** A decision that keeps the current count, for the given reason. */
  public static Decision hold(long backlog, int current, int recommended, Reason reason) {
    return new Decision(backlog, current, recommended, current, Action.HOLD, reason);
  }

  /** Whether this decision changes the desired count. */
  public boolean changesCount() {
    return action != Action.HOLD;
  }
}
