package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation asks for.
 *
 * @param onlyTarget run this target alone, or every target when empty
 * @param forceDryRun report decisions without acting, whatever the parameters say
 * @param deadline when the invocation must be done (the Lambda's), or none
 */
public record CycleRequest(
    Optional<TargetName> onlyTarget, boolean forceDryRun, Deadline deadline) {

  public static final CycleRequest ALL_TARGETS =
      new CycleRequest(Optional.empty(), false, Deadline.NONE);

  public CycleRequest {
    Objects.requireNonNull(onlyTarget, "onlyTarget");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** Without a deadline (the CLI, the local run). */
  public CycleRequest(Optional<TargetName> onlyTarget, boolean forceDryRun) {
    this(onlyTarget, forceDryRun, Deadline.NONE);
  }

  /** The same request, to be done by {@code deadline}. */
  public CycleRequest by(Deadline deadline) {
    return new CycleRequest(onlyTarget, forceDryRun, deadline);
  }
}
