package dev.queuescaler.scaler.policy;

/**
 * How often the target was sampled after a stored entry, until the next one: the samples an entry
 * that saw nothing in flight stands for in the load term's mean ({@link
 * ScalingHistory#averageInFlight(java.time.Duration, java.time.Instant, long,
 * java.time.Duration)}), since a run of equal samples at the floor is stored by its first. An
 * active target is sampled every sample-interval-seconds; one that a decision leaves idle ({@link
 * SamplingPlan#idle}) is decided again only by the next scheduled invocation, its idle checks
 * deciding nothing while its queue stays empty.
 */
public enum Cadence {
  /**
   * Taken while the target was active: it stands for the samples due every sample interval after
   * it. Entries stored before cadences existed read as this, as the code that wrote them counted
   * them.
   */
  EVERY_SAMPLE,
  /**
   * Taken idle at an invocation's first sample: it stands for the first samples of the invocations
   * after it, one every {@link SamplingPlan#SCHEDULE}.
   */
  EVERY_INVOCATION,
  /**
   * Taken idle at a later sample of an invocation: the target's next sample is the next
   * invocation's first, whose time this entry does not give, so it stands for itself alone and the
   * next invocation's sample is stored.
   */
  ALONE;

  /** The cadence of the samples after {@code decision}, made on {@code sample}. */
  public static Cadence after(Decision decision, Sample sample) {
    if (!SamplingPlan.idle(decision)) {
      return EVERY_SAMPLE;
    }
    return sample == Sample.FIRST_OF_INVOCATION ? EVERY_INVOCATION : ALONE;
  }
}
