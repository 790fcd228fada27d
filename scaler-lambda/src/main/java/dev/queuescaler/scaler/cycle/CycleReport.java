package dev.queuescaler.scaler.cycle;

import java.util.List;

/**
 * The result of one cycle.
 *
 * @param outcomes one per target that ran, in target-name order
 * @param failures every reason the cycle counts as failed (failed targets included)
 */
public record CycleReport(List<TargetOutcome> outcomes, List<String> failures) {

  public CycleReport {
    outcomes = List.copyOf(outcomes);
    failures = List.copyOf(failures);
  }

  public boolean failed() {
    return !failures.isEmpty();
  }
}
