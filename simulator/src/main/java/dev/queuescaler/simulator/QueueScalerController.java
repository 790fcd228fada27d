package dev.queuescaler.simulator;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Decision;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ScalingPolicy;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Instant;

/**
 * Ours: the scaler's real policy, every 60 s (the schedule), on GetQueueAttributes' stale counts,
 * with the history the DynamoDB table would keep.
 */
final class QueueScalerController implements Controller {

  /** The Lambda's schedule: EventBridge Scheduler's shortest rate. */
  static final int SCHEDULE_SECONDS = 60;

  private final ScalingParameters parameters;
  private final int periodSeconds;
  private ScalingHistory history = ScalingHistory.EMPTY;

  QueueScalerController(ScalingParameters parameters) {
    this(parameters, SCHEDULE_SECONDS);
  }

  /** A shorter period answers "what would two cycles a minute buy?". */
  QueueScalerController(ScalingParameters parameters, int periodSeconds) {
    if (periodSeconds < 1) {
      throw new IllegalArgumentException("the period must be >= 1 s but was " + periodSeconds);
    }
    this.parameters = parameters;
    this.periodSeconds = periodSeconds;
  }

  @Override
  public String name() {
    return "queue-scaler";
  }

  @Override
  public String settings() {
    return "every "
        + periodSeconds
        + " s; backlog-per-task "
        + parameters.backlogPerTask()
        + ", count-in-flight "
        + parameters.countInFlight()
        + ", activation "
        + parameters.activationBacklog()
        + ", scale-in stabilization "
        + parameters.scaleInStabilization().toSeconds()
        + " s, scale-out cooldown "
        + parameters.scaleOutCooldown().toSeconds()
        + " s, steps "
        + parameters.maxScaleOutStep()
        + "/"
        + parameters.maxScaleInStep()
        + " (0 = none)";
  }

  @Override
  public void tick(int second, World world) {
    if (second % periodSeconds != 0) {
      return;
    }
    Instant now = Instant.ofEpochSecond(second);
    Decision decision =
        ScalingPolicy.decide(
            parameters,
            new QueueSnapshot(world.observedVisible(second), world.observedInFlight(second), 0),
            new ServiceSnapshot(world.desired(), world.running(), world.pending()),
            history,
            now);
    history =
        history.after(
            now,
            decision.recommended(),
            decision.action() == Action.SCALE_OUT,
            parameters.scaleInStabilization());
    world.setDesired(decision.desired());
  }
}
