package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation asks for.
 *
 * @param onlyTarget run this target alone, or every target when empty
 * @param forceDryRun report decisions without acting, whatever the parameters say
 * @param deadline when the invocation must be done (the Lambda's), or none
 * @param period the schedule's period the targets are sampled within (each target's
 *     sample-interval-seconds, while it is active); zero for one decision per target (the CLI's
 *     {@code once})
 */
public record CycleRequest(
    Optional<TargetName> onlyTarget, boolean forceDryRun, Deadline deadline, Duration period) {

  public static final CycleRequest ALL_TARGETS =
      new CycleRequest(Optional.empty(), false, Deadline.NONE, Duration.ZERO);

  public CycleRequest {
    Objects.requireNonNull(onlyTarget, "onlyTarget");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(period, "period");
    if (period.isNegative()) {
      throw new IllegalArgumentException("period must be >= 0 but was " + period);
    }
  }

  /** One decision per target, without a deadline (the CLI). */
  public CycleRequest(Optional<TargetName> onlyTarget, boolean forceDryRun) {
    this(onlyTarget, forceDryRun, Deadline.NONE, Duration.ZERO);
  }

  /** The same request, to be done by {@code deadline}. */
  public CycleRequest by(Deadline deadline) {
    return new CycleRequest(onlyTarget, forceDryRun, deadline, period);
  }

  /** The same request, sampling each target within {@code period}. */
  public CycleRequest within(Duration period) {
    return new CycleRequest(onlyTarget, forceDryRun, deadline, period);
  }
}
