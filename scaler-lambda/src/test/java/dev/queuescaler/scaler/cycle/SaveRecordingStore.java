package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The in-memory state store, recording the target of every save: what a test of "state written only
 * when it changes" counts, the DynamoDB writes of the Lambda.
 */
final class SaveRecordingStore implements DecisionStore {

  private final InMemoryDecisionStore stored = new InMemoryDecisionStore();
  private final List<String> saves = Collections.synchronizedList(new ArrayList<>());

  /** The targets saved, in order; live, so a test may clear it between invocations. */
  List<String> saves() {
    return saves;
  }

  @Override
  public StoredState load(TargetName target) {
    return stored.load(target);
  }

  @Override
  public Optional<StoredState> save(
      TargetName target,
      long expectedVersion,
      ScalingHistory history,
      Optional<LastAction> lastAction) {
    saves.add(target.value());
    return stored.save(target, expectedVersion, history, lastAction);
  }
}
