package dev.queuescaler.scaler.policy;

import java.time.Duration;

/**
 * The load term of the {@code backlog-and-load} formula: enough tasks to hold the messages in
 * flight at a target utilization, so a fleet that keeps up with its traffic is not scaled in until
 * the backlog regrows (Little's law: in flight = arrival rate x work time, a live measure of the
 * load). Knative's KPA sizes the same way: observed concurrency / (per-replica concurrency x target
 * utilization, 70 % there).
 *
 * <p>A task cannot hold more than its concurrency, so above 100 % the term never asks for more
 * tasks than are running: it only keeps them, letting the fleet shrink to the size the load would
 * fill to that share (120 %: a fifth more than its slots), and the backlog term adds tasks once the
 * queue that overflow builds reaches backlog-per-task. The simulator chose 120 %: at 100 % and
 * below the term held two tasks through the sine day's peak hours, where the load is about 1.1
 * tasks and one task with a short queue serves, which cost more task-minutes than KEDA.
 *
 * @param taskConcurrency messages one task holds at a time: a fact of the worker (its
 *     WORKER_CONCURRENCY x 10), written by the deployment, >= 1
 * @param targetUtilizationPercent the share of that concurrency a task is sized to use, 1..200
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
    if (targetUtilizationPercent < 1 || targetUtilizationPercent > 200) {
      throw new IllegalArgumentException(
          "targetUtilizationPercent must be 1..200 but was " + targetUtilizationPercent);
    }
  }

  /** The tasks that hold {@code inFlight} messages at the target utilization, as a fraction. */
  double tasksFor(double inFlight) {
    return inFlight * 100 / ((double) taskConcurrency * targetUtilizationPercent);
  }
}
