package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.util.Optional;

/**
 * The targets' decision history between cycles, written with optimistic concurrency: of two cycles
 * that read the same version, only one can store the next one, and only that one acts.
 */
public interface DecisionStore {

  /** The stored state, or {@link StoredState#NONE}. */
  StoredState load(TargetName target);

  /**
   * Stores {@code next} (and the action about to be taken, if any) as version {@code
   * expectedVersion + 1} if the stored version is still {@code expectedVersion}.
   *
   * @return the new state, or empty when another cycle stored a version first
   */
  Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory next,
      Optional<PendingAction> pending);
}
