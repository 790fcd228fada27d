package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;

/**
 * A real store whose loads wait for each other: two cycles read the same stored version before
 * either writes, the race two overlapping invocations run, forced instead of hoped for.
 */
final class LoadTogetherStore implements DecisionStore {

  private final DecisionStore real;
  private final CyclicBarrier bothLoaded;

  LoadTogetherStore(DecisionStore real, int cycles) {
    this.real = real;
    this.bothLoaded = new CyclicBarrier(cycles);
  }

  @Override
  public StoredState load(TargetName target) {
    StoredState state = real.load(target);
    try {
      bothLoaded.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return state;
  }

  @Override
  public Optional<StoredState> save(
      TargetName target, long expected, ScalingHistory next, Optional<LastAction> last) {
    return real.save(target, expected, next, last);
  }
}
