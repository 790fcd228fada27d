package dev.queuescaler.scaler.policy;

/** Which sample of a scheduled invocation (or of an idle check) a decision is made on. */
public enum Sample {
  /** The invocation's first decision for the target: it may scale either way. */
  FIRST_OF_INVOCATION,
  /** A later sample within the same invocation: it may scale out or hold, never in. */
  FOLLOW_UP,
  /**
   * An idle target's check, whose queue read woke it: like a follow-up, it may scale out or hold,
   * never in, whatever the formula. The check assumed the service still at zero; a count raised
   * from outside meanwhile is the next invocation's first sample to judge.
   */
  IDLE_CHECK
}
