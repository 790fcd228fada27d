package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * KEDA's aws-sqs-queue scaler with the Kubernetes HPA: KEDA polls every 30 s (visible + in-flight,
 * scaleOnInFlight true); the HPA syncs every 15 s to ceil(metric / queueLength) with a 10 %
 * tolerance, scales up by at most max(+4, +100 %) per sync, holds scale-down to the highest
 * recommendation of the last 300 s, and KEDA scales to zero after a 300 s cooldown with no activity
 * (activationQueueLength 0).
 */
final class KedaHpaController implements Controller {

  private record Recommendation(int second, int replicas) {}

  private final int queueLength;
  private final Deque<Recommendation> recommendations = new ArrayDeque<>();
  private long metric;
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
    return "poll 30 s, queueLength "
        + queueLength
        + ", in-flight counted, HPA tolerance 10 %, up max(+4, +100 %)/15 s,"
        + " down stabilization 300 s, to zero after 300 s";
  }

  @Override
  public void tick(int second, World world) {
    if (second % 30 == 0) {
      metric = world.observedVisible(second) + world.observedInFlight(second);
      if (metric > 0) {
        lastActive = second;
      }
    }
    if (second % 15 != 0) {
      return;
    }
    int current = world.desired();
    int min = Math.max(1, world.config().minTasks());
    if (current == 0) {
      if (metric > 0) {
        world.setDesired(Math.max(1, world.config().minTasks()));
      }
      return;
    }
    if (metric == 0 && second - lastActive >= 300 && world.config().minTasks() == 0) {
      recommendations.clear();
      world.setDesired(0);
      return;
    }
    int desired = (int) Math.min(Integer.MAX_VALUE, (metric + queueLength - 1) / queueLength);
    double ratio = (double) metric / ((double) queueLength * current);
    if (Math.abs(ratio - 1) <= 0.1) {
      desired = current;
    }
    desired = Math.max(min, Math.min(world.config().maxTasks(), desired));
    recommendations.addLast(new Recommendation(second, desired));
    while (!recommendations.isEmpty() && recommendations.peekFirst().second() <= second - 300) {
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
}
