package dev.queuescaler.scaler.policy;

/**
 * What of a queue counts as backlog for a target, and how much of it starts a first task: the part
 * of its parameters an idle check needs to judge a queue read the way the target's decision would.
 *
 * @param countInFlight whether in-flight messages count as backlog
 * @param countDelayed whether delayed messages count as backlog
 * @param activationBacklog backlog needed to start the first task from zero, >= 1
 */
public record BacklogRules(boolean countInFlight, boolean countDelayed, int activationBacklog) {

  /** The configuration's defaults: count-in-flight true, count-delayed false, activation 1. */
  public static final BacklogRules DEFAULTS = new BacklogRules(true, false, 1);

  /**
   * Every message counts and one starts a task: for a target whose rules are not known (its
   * configuration is invalid, or a check message from before they were carried), any message wakes
   * it, so nothing is missed.
   */
  public static final BacklogRules COUNT_EVERYTHING = new BacklogRules(true, true, 1);

  public BacklogRules {
    if (activationBacklog < 1) {
      throw new IllegalArgumentException(
          "activationBacklog must be >= 1 but was " + activationBacklog);
    }
  }

  /** The messages that count as backlog, saturating at Long.MAX_VALUE. */
  public long backlog(QueueSnapshot queue) {
    long backlog = queue.visible();
    if (countInFlight) {
      backlog = ScalingPolicy.saturatedAdd(backlog, queue.inFlight());
    }
    if (countDelayed) {
      backlog = ScalingPolicy.saturatedAdd(backlog, queue.delayed());
    }
    return backlog;
  }

  /**
   * Whether a service at zero (and min-tasks 0) stays at zero on this queue: the backlog is below
   * activation-backlog, so neither formula recommends a task (the load term is gated too).
   */
  public boolean belowActivation(QueueSnapshot queue) {
    return backlog(queue) < activationBacklog;
  }
}
