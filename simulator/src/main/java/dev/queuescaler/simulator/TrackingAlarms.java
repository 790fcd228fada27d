package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The two CloudWatch alarms a target-tracking policy creates for itself: high when the last 3
 * one-minute datapoints are above the target, low when the last 15 are below 0.9 x the target
 * (Application Auto Scaling's defaults).
 */
final class TrackingAlarms {

  static final int HIGH_DATAPOINTS = 3;
  static final int LOW_DATAPOINTS = 15;
  static final double LOW_FACTOR = 0.9;

  private final double target;
  private final Deque<Double> datapoints = new ArrayDeque<>();

  TrackingAlarms(double target) {
    this.target = target;
  }

  void add(double datapoint) {
    datapoints.addLast(datapoint);
    while (datapoints.size() > LOW_DATAPOINTS) {
      datapoints.removeFirst();
    }
  }

  void clear() {
    datapoints.clear();
  }

  boolean high() {
    return lastAll(HIGH_DATAPOINTS, value -> value > target);
  }

  boolean low() {
    return lastAll(LOW_DATAPOINTS, value -> value < LOW_FACTOR * target);
  }

  private boolean lastAll(int n, java.util.function.DoublePredicate breaching) {
    if (datapoints.size() < n) {
      return false;
    }
    int checked = 0;
    for (var it = datapoints.descendingIterator(); it.hasNext() && checked < n; checked++) {
      if (!breaching.test(it.next())) {
        return false;
      }
    }
    return true;
  }
}
