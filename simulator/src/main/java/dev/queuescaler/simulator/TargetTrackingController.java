package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * ECS target tracking on backlog per running task (metric math: visible / RunningTaskCount): scale
 * out after 3 one-minute datapoints above the target, in after 15 below 0.9 x target, to
 * ceil(running x metric / target), 300 s cooldowns. Target tracking cannot act with no task running
 * (the metric is undefined), so, as AWS's guidance for scaling from zero suggests, a companion step
 * rule starts the first task when a datapoint shows a message.
 */
final class TargetTrackingController implements Controller {

  private final int target;
  private final Deque<Double> datapoints = new ArrayDeque<>();
  private int lastMinuteSeen = -1;
  private int lastScaleOut = Integer.MIN_VALUE / 2;
  private int lastScaleIn = Integer.MIN_VALUE / 2;

  TargetTrackingController(int target) {
    this.target = target;
  }

  @Override
  public String name() {
    return "target-tracking";
  }

  @Override
  public String settings() {
    return "backlog per running task, target "
        + target
        + "; out after 3 datapoints above, in after 15 below 0.9x; cooldowns 300 s;"
        + " step rule +1 from zero";
  }

  @Override
  public void tick(int second, World world) {
    if (second % 60 != 0) {
      return;
    }
    int latest = world.latestPublishedMinute(second);
    if (latest < 0 || latest == lastMinuteSeen) {
      return;
    }
    lastMinuteSeen = latest;
    long visible = world.visibleMaximum(latest);
    int running = world.runningAt(latest);
    if (world.desired() == 0) {
      datapoints.clear();
      if (visible >= 1) {
        world.setDesired(1);
        lastScaleOut = second;
      }
      return;
    }
    if (running == 0) {
      return; // metric math divides by zero: no datapoint
    }
    double perTask = (double) visible / running;
    datapoints.addLast(perTask);
    while (datapoints.size() > 15) {
      datapoints.removeFirst();
    }
    int proportional = (int) Math.ceil(running * perTask / target);
    if (lastN(3, true) && second - lastScaleOut >= 300 && proportional > world.desired()) {
      world.setDesired(proportional);
      lastScaleOut = second;
    } else if (lastN(15, false) && second - lastScaleIn >= 300 && proportional < world.desired()) {
      world.setDesired(Math.max(proportional, world.config().minTasks()));
      lastScaleIn = second;
    }
  }

  private boolean lastN(int n, boolean above) {
    if (datapoints.size() < n) {
      return false;
    }
    int checked = 0;
    for (var it = datapoints.descendingIterator(); it.hasNext() && checked < n; checked++) {
      double value = it.next();
      if (above ? value <= target : value >= 0.9 * target) {
        return false;
      }
    }
    return true;
  }
}
