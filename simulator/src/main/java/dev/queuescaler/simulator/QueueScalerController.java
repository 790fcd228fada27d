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

  static final int PERIOD_SECONDS = 60;

  private final ScalingParameters parameters;
  private ScalingHistory history = ScalingHistory.EMPTY;

  QueueScalerController(ScalingParameters parameters) {
    this.parameters = parameters;
  }

  @Override
  public String name() {
    return "queue-scaler";
  }

  @Override
  public String settings() {
    return "every 60 s; backlog-per-task "
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
    if (second % PERIOD_SECONDS != 0) {
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
