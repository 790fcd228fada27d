package dev.queuescaler.scaler.cycle;

import java.util.Objects;
import java.util.Optional;

/**
 * One target's result of a cycle.
 *
 * @param decision the decision record (the line)
 * @param failure present when the target failed (unreadable queue or service, unavailable state,
 *     failed update, no time, invalid configuration; the Lambda then throws and the CLI exits 1),
 *     with whether its cause may pass within the minute
 * @param configErrors how many configuration problems its line reports (a change not applied, a
 *     shared service, a change not read): the ConfigErrors metric, above 0 on every cycle until
 *     fixed
 * @param cycleMillis wall time of this target's cycle
 * @param lateLanding an earlier sample's action that this sample saw landed late (its update's
 *     outcome was unknown), to announce: present only when this sample stored it confirmed, so that
 *     one sample announces it
 */
public record TargetOutcome(
    DecisionRecord decision,
    Optional<FailureKind> failure,
    int configErrors,
    long cycleMillis,
    Optional<LateLanding> lateLanding) {

  public TargetOutcome {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(lateLanding, "lateLanding");
    if (decision.landedLate()) {
      throw new IllegalArgumentException("a sample's own decision does not land late");
    }
  }

  /** An outcome that announces no late landing. */
  public TargetOutcome(
      DecisionRecord decision, Optional<FailureKind> failure, int configErrors, long cycleMillis) {
    this(decision, failure, configErrors, cycleMillis, Optional.empty());
  }

  /** A target that did what its decision asked (which may be to hold). */
  public static TargetOutcome ofCompleted(
      DecisionRecord decision, int configErrors, long cycleMillis) {
    return new TargetOutcome(decision, Optional.empty(), configErrors, cycleMillis);
  }

  /** False when the target failed. */
  public boolean completed() {
    return failure.isEmpty();
  }
}
