package dev.queuescaler.scaler.policy;

/**
 * Why a decision is what it is. Shown in the decision line, the X-Ray annotation and the
 * EventBridge event, so operators can filter on it.
 */
public enum Reason {
  /** The desired count follows the backlog formula. */
  BACKLOG,
  /**
   * The desired count follows the load term of the backlog-and-load formula: the messages in flight
   * need more tasks than the backlog does.
   */
  LOAD,
  /**
   * The formula recommends the current count, or the backlog per task is within
   * scale-tolerance-percent of the target.
   */
  WITHIN_TARGET,
  /**
   * A scale-in is held back: by a higher recommendation inside the stabilization window, by a
   * recommendation above zero inside scale-to-zero-delay-seconds, (backlog-and-load) because the
   * sample is not the invocation's first, (either formula) because the sample is an idle check's,
   * which never scales in, or because a later sample's scale-in could no longer start before the
   * deadline (the next invocation's first sample decides it).
   */
  STABILIZING,
  /**
   * A scale-in past the stabilization window (scale-in-when-drained): nothing is visible, in flight
   * or delayed now, the last stored sample asked for no task, and no sample of the last minute saw
   * a message in flight, so the window's older, higher recommendations no longer hold; the last
   * task still waits for scale-to-zero-delay-seconds, and max-scale-in-step still limits the step.
   */
  DRAINED,
  /**
   * A scale-in past the stabilization window and scale-to-zero-delay-seconds
   * (scale-in-after-long-pauses): the queue is drained as for {@link #DRAINED}, and at least two of
   * its last three pauses (from the first stored read that saw no message to the next that saw one)
   * lasted longer than the delay (or the stabilization window, when longer), so holding the tasks
   * through them would have caught no message in most; max-scale-in-step still limits the step.
   */
  LONG_PAUSES,
  /**
   * A scale-in past the stabilization window (scale-in-between-bursts): nothing is visible, in
   * flight or delayed now, nor in flight at the newest stored sample; the last four bursts came at
   * a steady period; the last scale-out is at least a minute old and outside the cooldown; and the
   * next burst is due more than 75 s from now. The last task still waits for
   * scale-to-zero-delay-seconds, and max-scale-in-step still limits the step.
   */
  BETWEEN_BURSTS,
  /** A scale-out is held back because the last scale-out is younger than the cooldown. */
  COOLDOWN,
  /** The count is capped by max-tasks. */
  MAX_TASKS,
  /** The count is raised to min-tasks. */
  MIN_TASKS,
  /** The change is limited by max-scale-out-step or max-scale-in-step. */
  STEP_LIMIT,
  /** The service is at zero and the backlog is below activation-backlog. */
  ACTIVATION,
  /** The target is disabled by its enabled parameter. */
  DISABLED,
  /**
   * The target's parameters contradict each other (min-tasks above max-tasks), or a safety switch
   * (enabled, dry-run) has a value that is not true or false: nothing is changed.
   */
  CONFIG_INVALID,
  /** The queue attributes could not be read; nothing is changed. */
  QUEUE_UNREADABLE,
  /** The ECS service could not be described; nothing is changed. */
  SERVICE_UNREADABLE,
  /** The decision state could not be read or written; nothing is changed. */
  STATE_UNAVAILABLE,
  /**
   * UpdateService failed after the SDK's retries. Refused by the service (a 4xx on every attempt):
   * nothing was changed. Otherwise (a timeout, a 5xx, a connection reset) its outcome is unknown:
   * the decision's desired count is left empty, and the recorded action stands until it settles.
   */
  UPDATE_FAILED,
  /**
   * Another cycle recorded a decision for this target first, or is about to set a count that the
   * service does not show yet; this one does not act.
   */
  CONCURRENT_RUN,
  /** The invocation's time left could not cover storing and acting; nothing is changed. */
  OUT_OF_TIME
}
