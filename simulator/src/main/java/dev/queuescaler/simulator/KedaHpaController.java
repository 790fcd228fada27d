package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * KEDA's aws-sqs-queue scaler with the Kubernetes HPA, at their defaults.
 *
 * <ul>
 *   <li>The HPA syncs every 15 s (kube-controller-manager {@code
 *       --horizontal-pod-autoscaler-sync-period} 15 s) and on every sync asks KEDA's metrics server
 *       for the metric, which queries SQS then and there (visible + in flight, {@code
 *       scaleOnInFlight} true): KEDA caches nothing unless {@code useCachedMetrics} is set
 *       (kedacore/keda issue 2282).
 *   <li>{@code pollingInterval} (30 s) drives only the operator's own loop: activation from 0 to 1
 *       ({@code activationQueueLength} 0) and, {@code cooldownPeriod} (300 s) after the last
 *       activity it saw, scaling back to 0.
 *   <li>The HPA's target: ceil(metric / queueLength) (AverageValue), skipped within a 10 %
 *       tolerance of the current replicas; scale-up at most max(+4 pods, +100 %) per 15 s, no
 *       stabilization; scale-down to the highest recommendation of the last 300 s (the HPA's
 *       default behavior).
 * </ul>
 */
final class KedaHpaController implements Controller {

  private record Recommendation(int second, int replicas) {}

  static final int POLLING_INTERVAL = 30;
  static final int HPA_SYNC = 15;
  static final int COOLDOWN_PERIOD = 300;
  static final double HPA_TOLERANCE = 0.1;
  static final int HPA_DOWNSCALE_STABILIZATION = 300;

  private final int queueLength;
  private final Deque<Recommendation> recommendations = new ArrayDeque<>();
  private int lastActive = Integer.MIN_VALUE / 2;

  KedaHpaController(int queueLength) {
    this.queueLength = queueLength;
  }

  @Override
  public String name() {
    return "keda-hpa";
  }

  @Override
  public String settings() {
    return "HPA sync 15 s with a fresh metric, operator poll 30 s (activation, to zero after 300 s),"
        + " queueLength "
        + queueLength
        + ", in-flight counted, tolerance 10 %, up max(+4, +100 %)/15 s, down stabilization 300 s";
  }

  @Override
  public void tick(int second, World world) {
    if (second % POLLING_INTERVAL == 0) {
      operatorPoll(second, world);
    }
    if (second % HPA_SYNC != 0 || world.desired() == 0) {
      return; // at zero the HPA is idle; only the operator activates
    }
    long metric = world.observedVisible(second) + world.observedInFlight(second);
    int current = world.desired();
    int min = Math.max(1, world.config().minTasks());
    int desired = (int) Math.min(Integer.MAX_VALUE, (metric + queueLength - 1) / queueLength);
    double ratio = (double) metric / ((double) queueLength * current);
    if (Math.abs(ratio - 1) <= HPA_TOLERANCE) {
      desired = current;
    }
    desired = Math.max(min, Math.min(world.config().maxTasks(), desired));
    recommendations.addLast(new Recommendation(second, desired));
    while (!recommendations.isEmpty()
        && recommendations.peekFirst().second() <= second - HPA_DOWNSCALE_STABILIZATION) {
      recommendations.removeFirst();
    }
    if (desired > current) {
      desired = Math.min(desired, Math.max(current + 4, current * 2));
    } else if (desired < current) {
      int highest = desired;
      for (Recommendation r : recommendations) {
        highest = Math.max(highest, r.replicas());
      }
      desired = Math.min(current, highest);
    }
    world.setDesired(desired);
  }

  /** The operator's loop: activation 0 -> 1, and back to 0 after the cooldown. */
  private void operatorPoll(int second, World world) {
    boolean active = world.observedVisible(second) + world.observedInFlight(second) > 0;
    if (active) {
      lastActive = second;
      if (world.desired() == 0) {
        world.setDesired(Math.max(1, world.config().minTasks()));
      }
    } else if (world.desired() > 0
        && world.config().minTasks() == 0
        && second - lastActive >= COOLDOWN_PERIOD) {
      recommendations.clear();
      world.setDesired(0);
    }
  }
}
