package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The in-memory twin of the DynamoDB store, with the same compare-and-set semantics. */
public final class InMemoryDecisionStore implements DecisionStore {

  private final ConcurrentMap<TargetName, StoredState> states = new ConcurrentHashMap<>();

  @Override
  public StoredState load(TargetName target) {
    return states.getOrDefault(target, StoredState.NONE);
  }

  @Override
  public Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory next,
      Optional<LastAction> lastAction) {
    StoredState saved = new StoredState(expectedVersion + 1, next, lastAction);
    AtomicBoolean stored = new AtomicBoolean();
    states.compute(
        target,
        (name, existing) -> {
          long version = existing == null ? 0 : existing.version();
          if (version != expectedVersion) {
            return existing;
          }
          stored.set(true);
          return saved;
        });
    return stored.get() ? Optional.of(saved) : Optional.empty();
  }
}
