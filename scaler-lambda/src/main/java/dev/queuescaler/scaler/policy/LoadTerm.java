package dev.queuescaler.scaler.policy;

import java.time.Duration;

/**
 * The load term of the {@code backlog-and-load} formula: enough tasks to hold the messages in
 * flight at a target utilization, so a fleet that keeps up with its traffic is not scaled in until
 * the backlog regrows (Little's law: in flight = arrival rate x work time, a live measure of the
 * load). Knative's KPA sizes the same way: observed concurrency / (per-replica concurrency x target
 * utilization, 70 % there).
 *
 * @param taskConcurrency messages one task holds at a time: a fact of the worker (its
 *     WORKER_CONCURRENCY x 10), written by the deployment, >= 1
 * @param targetUtilizationPercent the share of that concurrency a task is sized to use, 1..100
 */
public record LoadTerm(int taskConcurrency, int targetUtilizationPercent) {

  /**
   * The in-flight count is averaged over this window (Knative KPA's stable window, 60 s), so the
   * noise of one reading does not add a task: at 5 msg/s a single read swings by half a task.
   */
  public static final Duration STABLE_WINDOW = Duration.ofSeconds(60);

  public LoadTerm {
    if (taskConcurrency < 1) {
      throw new IllegalArgumentException("taskConcurrency must be >= 1 but was " + taskConcurrency);
    }
    if (targetUtilizationPercent < 1 || targetUtilizationPercent > 100) {
      throw new IllegalArgumentException(
          "targetUtilizationPercent must be 1..100 but was " + targetUtilizationPercent);
    }
  }

  /** The tasks that hold {@code inFlight} messages at the target utilization, as a fraction. */
  double tasksFor(double inFlight) {
    return inFlight * 100 / ((double) taskConcurrency * targetUtilizationPercent);
  }
}
