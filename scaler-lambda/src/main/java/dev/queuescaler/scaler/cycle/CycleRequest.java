package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation asks for.
 *
 * @param onlyTarget run this target alone, or every target when empty
 * @param forceDryRun report decisions without acting, whatever the parameters say
 */
public record CycleRequest(Optional<TargetName> onlyTarget, boolean forceDryRun) {

  public static final CycleRequest ALL_TARGETS = new CycleRequest(Optional.empty(), false);

  public CycleRequest {
    Objects.requireNonNull(onlyTarget, "onlyTarget");
  }
}
