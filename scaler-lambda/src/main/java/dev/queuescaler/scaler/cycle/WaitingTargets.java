package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.Map;

/**
 * The targets a cycle skipped for time, each with the number of cycles in a row it has waited: the
 * next cycle runs the longest-waiting first. Kept where every container of the function sees it,
 * since an overloaded cycle outlasts the schedule's minute and the next invocation then runs in
 * another container.
 */
public interface WaitingTargets {

  /**
   * The waits the last full cycle left.
   *
   * @throws RuntimeException when they cannot be read
   */
  Map<TargetName, Integer> load();

  /**
   * Replaces the waits (a full cycle's, over every target).
   *
   * @throws RuntimeException when they cannot be written
   */
  void save(Map<TargetName, Integer> waiting);

  /** Waits held by this object alone: one container, or a local run. */
  static WaitingTargets inMemory() {
    return new WaitingTargets() {
      private volatile Map<TargetName, Integer> waiting = Map.of();

      @Override
      public Map<TargetName, Integer> load() {
        return waiting;
      }

      @Override
      public void save(Map<TargetName, Integer> next) {
        waiting = Map.copyOf(next);
      }
    };
  }
}
