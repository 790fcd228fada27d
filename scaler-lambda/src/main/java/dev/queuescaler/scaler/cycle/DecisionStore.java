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
   * Stores {@code next} and the last action (the one about to be taken, or the one carried over
   * from the loaded state) as version {@code expectedVersion + 1} if the stored version is still
   * {@code expectedVersion}. Idempotent: a retried write that was already applied is this write.
   *
   * @return the new state, or empty when another cycle stored a version first
   * @throws RuntimeException when the write failed or its outcome is unknown: it may have been
   *     applied all the same (its answer lost), so the caller reads the state back before it
   *     decides what was stored
   */
  Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory next,
      Optional<LastAction> lastAction);
}
