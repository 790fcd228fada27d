package dev.queuescaler.simulator;

/**
 * Step scaling on a CloudWatch alarm over ApproximateNumberOfMessagesVisible (Maximum, 5-minute
 * period, 1 evaluation period), evaluated every minute on published datapoints, with a cooldown
 * after each scaling activity. The period is the last five published minutes, or, with {@link
 * SimConfig#alignedAlarmPeriods()}, the last complete clock-aligned five. SQS publishes one sample
 * a minute, so the period's Maximum is the largest of five samples. Inside a scale-out cooldown a
 * larger step still applies, counting the capacity the first one added (Application Auto Scaling's
 * step scaling: "the capacity added by the initiating scale-out activity is calculated as part of
 * the desired capacity for the next scale-out activity"); scale-in waits for its own cooldown. Two
 * instances: the seed project's queue steps and CDK's QueueProcessingFargateService defaults.
 */
final class AlarmStepController implements Controller {

  /** One step: when the 5-minute maximum is at least {@code threshold}, change by {@code by}. */
  record Step(long threshold, int by) {}

  private final String name;
  private final Step[] scaleOutSteps;
  private final long scaleInAtOrBelow;
  private final int scaleInBy;
  private final int cooldownSeconds;
  private int lastScaleOut = Integer.MIN_VALUE / 2;
  private int lastScaleIn = Integer.MIN_VALUE / 2;
  private int beforeLastScaleOut;

  private AlarmStepController(
      String name,
      Step[] scaleOutSteps,
      long scaleInAtOrBelow,
      int scaleInBy,
      int cooldownSeconds) {
    this.name = name;
    this.scaleOutSteps = scaleOutSteps;
    this.scaleInAtOrBelow = scaleInAtOrBelow;
    this.scaleInBy = scaleInBy;
    this.cooldownSeconds = cooldownSeconds;
  }

  /** sqs-fargate-poller: +1 at >= 1 visible, -5 at 0, 300 s cooldown. */
  static AlarmStepController seed() {
    return new AlarmStepController("seed-alarm-step", new Step[] {new Step(1, 1)}, 0, 5, 300);
  }

  /** QueueProcessingFargateService: +1 at >= 100, +5 at >= 500, -1 at <= 0, 300 s cooldown. */
  static AlarmStepController cdkQueueProcessing() {
    return new AlarmStepController(
        "cdk-queue-processing", new Step[] {new Step(500, 5), new Step(100, 1)}, 0, 1, 300);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String settings() {
    StringBuilder steps = new StringBuilder();
    for (Step step : scaleOutSteps) {
      steps.append("+").append(step.by()).append(" at >= ").append(step.threshold()).append(", ");
    }
    return "alarm on Maximum visible over 5 min, 1 period; "
        + steps
        + "-"
        + scaleInBy
        + " at <= "
        + scaleInAtOrBelow
        + "; cooldown "
        + cooldownSeconds
        + " s";
  }

  @Override
  public void tick(int second, World world) {
    if (second % 60 != 0) {
      return;
    }
    int latest = world.latestPublishedMinute(second);
    int periodEnd =
        world.config().alignedAlarmPeriods() ? Math.floorDiv(latest + 1, 5) * 5 - 1 : latest;
    if (periodEnd < 4) {
      return;
    }
    long maximum = 0;
    for (int minute = periodEnd - 4; minute <= periodEnd; minute++) {
      maximum = Math.max(maximum, world.visibleDatapoint(minute));
    }
    for (Step step : scaleOutSteps) {
      if (maximum >= step.threshold()) {
        if (world.desired() >= world.config().maxTasks()) {
          return;
        }
        if (second - lastScaleOut >= cooldownSeconds) {
          beforeLastScaleOut = world.desired();
          world.setDesired(world.desired() + step.by());
          lastScaleOut = second;
        } else if (beforeLastScaleOut + step.by() > world.desired()) {
          // A larger step inside the cooldown: the earlier step's capacity counts toward it, and
          // the cooldown does not restart.
          world.setDesired(beforeLastScaleOut + step.by());
        }
        return;
      }
    }
    if (maximum <= scaleInAtOrBelow
        && second - lastScaleIn >= cooldownSeconds
        && world.desired() > world.config().minTasks()) {
      world.setDesired(world.desired() - scaleInBy);
      lastScaleIn = second;
    }
  }
}
