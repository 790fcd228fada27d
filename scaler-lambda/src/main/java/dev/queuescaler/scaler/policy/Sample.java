package dev.queuescaler.scaler.policy;

/** Which sample of a scheduled invocation a decision is made on. */
public enum Sample {
  /** The invocation's first decision for the target: it may scale either way. */
  FIRST_OF_INVOCATION,
  /** A later sample within the same invocation: it may scale out or hold, never in. */
  FOLLOW_UP
}
