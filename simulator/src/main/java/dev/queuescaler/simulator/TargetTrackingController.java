package dev.queuescaler.simulator;

/**
 * ECS target tracking on backlog per running task (metric math: visible / RunningTaskCount): scale
 * out after 3 one-minute datapoints above the target, in after 15 below 0.9 x target, to
 * ceil(running x metric / target), 300 s cooldowns (Application Auto Scaling's defaults for ECS).
 * Inside the scale-out cooldown a larger scale-out still happens (Application Auto Scaling counts
 * the earlier one's capacity toward it); only scale-in waits for its cooldown.
 *
 * <p>Target tracking cannot act with no task running (the metric is undefined). Two ways it is
 * deployed: with a companion step rule that starts the first task when a datapoint shows a message
 * (AWS's guidance for scaling from zero), each policy with its own cooldown, as Application Auto
 * Scaling keeps them; or, as most do, with a minimum capacity of 1 ({@link #withMinimumOne}).
 */
final class TargetTrackingController implements Controller {

  static final int COOLDOWN_SECONDS = 300;

  private final int target;
  private final int minimum;
  private final TrackingAlarms alarms;
  private int lastMinuteSeen = -1;
  private int lastScaleIn = Integer.MIN_VALUE / 2;
  private int lastStepOut = Integer.MIN_VALUE / 2;

  /** With the companion step rule from zero (the shared minimum may be 0). */
  TargetTrackingController(int target) {
    this(target, 0);
  }

  private TargetTrackingController(int target, int minimum) {
    this.target = target;
    this.minimum = minimum;
    this.alarms = new TrackingAlarms(target);
  }

  /** As it is usually deployed: minimum capacity 1, so the metric is always defined. */
  static TargetTrackingController withMinimumOne(int target) {
    return new TargetTrackingController(target, 1);
  }

  @Override
  public String name() {
    return minimum == 0 ? "target-tracking" : "target-tracking-min1";
  }

  @Override
  public String settings() {
    return "backlog per running task, target "
        + target
        + "; out after 3 datapoints above, in after 15 below 0.9x; cooldowns 300 s;"
        + (minimum == 0
            ? " step rule +1 from zero (its own cooldown)"
            : " minimum capacity 1, no rule from zero");
  }

  @Override
  public void tick(int second, World world) {
    if (world.desired() < minimum) {
      world.setDesired(minimum); // registering the scalable target applies its minimum at once
    }
    if (second % 60 != 0) {
      return;
    }
    int latest = world.latestPublishedMinute(second);
    if (latest < 0 || latest == lastMinuteSeen) {
      return;
    }
    lastMinuteSeen = latest;
    long visible = world.visibleDatapoint(latest);
    int running = world.runningAt(latest);
    if (world.desired() == 0) {
      alarms.clear();
      // The step rule: a policy of its own, so its cooldown is its own too.
      if (visible >= 1 && second - lastStepOut >= COOLDOWN_SECONDS) {
        world.setDesired(1);
        lastStepOut = second;
      }
      return;
    }
    if (running == 0) {
      return; // metric math divides by zero: no datapoint
    }
    double perTask = (double) visible / running;
    alarms.add(perTask);
    int proportional = (int) Math.ceil(running * perTask / target);
    if (alarms.high() && proportional > world.desired()) {
      world.setDesired(proportional);
    } else if (alarms.low()
        && second - lastScaleIn >= COOLDOWN_SECONDS
        && proportional < world.desired()) {
      world.setDesired(Math.max(proportional, Math.max(minimum, world.config().minTasks())));
      lastScaleIn = second;
    }
  }
}
