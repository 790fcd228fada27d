package dev.queuescaler.scaler.cycle;

import java.util.Objects;

/**
 * One target's result of a cycle.
 *
 * @param decision the decision record (the line)
 * @param completed false when the target failed: unreadable queue or service, unavailable state,
 *     failed update; the Lambda then throws and the CLI exits 1
 * @param configErrors how many configuration problems its line reports (a change not applied, a
 *     shared service, a change not read): the ConfigErrors metric, above 0 on every cycle until
 *     fixed
 * @param cycleMillis wall time of this target's cycle
 */
public record TargetOutcome(
    DecisionRecord decision, boolean completed, int configErrors, long cycleMillis) {

  public TargetOutcome {
    Objects.requireNonNull(decision, "decision");
  }
}
