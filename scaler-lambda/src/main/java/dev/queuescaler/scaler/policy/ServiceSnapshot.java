package dev.queuescaler.scaler.policy;

/**
 * The service's task counts at one instant.
 *
 * @param desired the desired count the scheduler maintains; the policy's "current", >= 0
 * @param running tasks in the RUNNING state, >= 0
 * @param pending tasks in the PENDING state, >= 0
 */
public record ServiceSnapshot(int desired, int running, int pending) {

  public ServiceSnapshot {
    if (desired < 0 || running < 0 || pending < 0) {
      throw new IllegalArgumentException(
          "task counts must be >= 0 but were desired="
              + desired
              + ", running="
              + running
              + ", pending="
              + pending);
    }
  }
}
