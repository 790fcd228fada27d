package dev.queuescaler.scaler.cycle;

/**
 * Whether a failed call's cause may pass by itself within the minute: throttling, a timeout, a 5xx
 * or a service briefly unavailable do, so a target whose sample failed is sampled again at its next
 * offset; a denied permission, or a queue, service or cluster that does not exist, do not, so the
 * target waits for the next invocation rather than fail the same way every 15 s.
 *
 * <p>A port says which with a {@link CallFailure} (the AWS adapters classify AWS's error code); a
 * cause not known to last counts as passing: sampling again costs a few reads, while waiting a
 * minute can leave a burst unscaled.
 */
public enum FailureKind {
  PASSING,
  LASTING;

  /** What kind of failure {@code failure} is. */
  public static FailureKind of(RuntimeException failure) {
    return failure instanceof CallFailure call ? call.kind() : PASSING;
  }

  /** The kind of a sample that failed on both causes: lasting if either lasts. */
  FailureKind and(FailureKind other) {
    return this == LASTING || other == LASTING ? LASTING : PASSING;
  }
}
