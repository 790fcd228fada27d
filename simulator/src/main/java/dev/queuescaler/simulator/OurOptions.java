package dev.queuescaler.simulator;

import dev.queuescaler.scaler.policy.FeedForward;
import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * How our controller reads the queue, beside its SSM parameters: samples within the minute while
 * active, checks of an idle target between invocations, and whether it sizes for the backlog
 * expected once a launch is over.
 */
record OurOptions(SamplingPlan sampling, IdleChecks idleChecks, Optional<FeedForward> feedForward) {

  /** As deployed: the SSM default sampling, the schedule alone when idle, no feed-forward. */
  static final OurOptions DEPLOYED =
      new OurOptions(
          QueueScalerController.DEFAULT_SAMPLING, IdleChecks.SCHEDULE_ONLY, Optional.empty());

  OurOptions {
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(idleChecks, "idleChecks");
    Objects.requireNonNull(feedForward, "feedForward");
  }

  static OurOptions sampling(SamplingPlan sampling) {
    return new OurOptions(sampling, IdleChecks.SCHEDULE_ONLY, Optional.empty());
  }
}
