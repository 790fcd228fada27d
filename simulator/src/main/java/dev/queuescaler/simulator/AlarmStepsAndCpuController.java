package dev.queuescaler.simulator;

import java.util.Optional;

/**
 * Queue steps on a CloudWatch alarm ({@link AlarmStepController}) and, beside them, the CPU
 * target-tracking policy at 50 % that CDK's {@code QueueProcessingFargateService} also creates
 * ({@code cpuTargetUtilizationPercent} default 50, cooldowns 300 s). CPU is modelled as the share
 * of the running tasks' slots that are busy. Both policies act on the same desired count, as
 * Application Auto Scaling lets them, so the CPU policy can shrink a fleet the queue policy grew.
 * Two deployments:
 *
 * <ul>
 *   <li>{@link #seedAsDeployed()}: sqs-fargate-poller, the seed project, as it is deployed: its
 *       queue steps (+1 at >= 1 visible, -5 at 0) on the construct, so with the construct's CPU
 *       policy, within the shared limits.
 *   <li>{@link #cdkAsShipped()}: the construct exactly as shipped: its own capacity limits (minimum
 *       1, maximum 2: {@code minScalingCapacity} and {@code maxScalingCapacity} defaults) and its
 *       default queue steps (+1 at >= 100, +5 at >= 500, -1 at 0 visible).
 * </ul>
 */
final class AlarmStepsAndCpuController implements Controller {

  static final int MIN_CAPACITY = 1;
  static final int MAX_CAPACITY = 2;
  static final double CPU_TARGET = 0.5;
  static final int CPU_COOLDOWN_SECONDS = 300;

  /** The construct's own capacity limits, where they replace the shared ones. */
  private record Capacity(int min, int max) {}

  private final String name;
  private final AlarmStepController queueSteps;
  private final Optional<Capacity> ownLimits;
  private final TrackingAlarms cpu = new TrackingAlarms(CPU_TARGET);
  private int lastMinuteSeen = -1;
  private int lastCpuIn = Integer.MIN_VALUE / 2;

  private AlarmStepsAndCpuController(
      String name, AlarmStepController queueSteps, Optional<Capacity> ownLimits) {
    this.name = name;
    this.queueSteps = queueSteps;
    this.ownLimits = ownLimits;
  }

  /** The seed project as deployed: its queue steps and the construct's CPU policy. */
  static AlarmStepsAndCpuController seedAsDeployed() {
    return new AlarmStepsAndCpuController(
        "seed-alarm-step", AlarmStepController.seed(), Optional.empty());
  }

  /** CDK's construct exactly as shipped, with its own 1..2 limits. */
  static AlarmStepsAndCpuController cdkAsShipped() {
    return new AlarmStepsAndCpuController(
        "cdk-queue-processing-as-shipped",
        AlarmStepController.cdkQueueProcessing(),
        Optional.of(new Capacity(MIN_CAPACITY, MAX_CAPACITY)));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String settings() {
    return ownLimits
            .map(limits -> "as shipped: capacity " + limits.min() + ".." + limits.max() + ", ")
            .orElse("as deployed: ")
        + queueSteps.settings()
        + "; plus CPU target tracking at 50 % (busy slots / slots), cooldowns 300 s";
  }

  @Override
  public void tick(int second, World world) {
    World bounded =
        ownLimits
            .<World>map(limits -> new BoundedWorld(world, limits.min(), limits.max()))
            .orElse(world);
    if (world.desired() < bounded.config().minTasks()) {
      bounded.setDesired(bounded.config().minTasks());
    }
    queueSteps.tick(second, bounded);
    trackCpu(second, bounded);
  }

  /** ECS target tracking on CPUUtilization: 3 datapoints above to scale out, 15 below 0.9x in. */
  private void trackCpu(int second, World world) {
    if (second % 60 != 0) {
      return;
    }
    int latest = world.latestPublishedMinute(second);
    if (latest < 0 || latest == lastMinuteSeen) {
      return;
    }
    lastMinuteSeen = latest;
    if (world.runningAt(latest) == 0) {
      return; // no task, no CPUUtilization datapoint: the alarms keep their state
    }
    double utilization = world.busyShareAt(latest);
    cpu.add(utilization);
    int running = Math.max(1, world.runningAt(latest));
    int proportional = (int) Math.ceil(running * utilization / CPU_TARGET);
    // A larger scale-out is allowed inside the scale-out cooldown (Application Auto Scaling).
    if (cpu.high() && proportional > world.desired()) {
      world.setDesired(proportional);
    } else if (cpu.low()
        && second - lastCpuIn >= CPU_COOLDOWN_SECONDS
        && proportional < world.desired()) {
      world.setDesired(proportional);
      lastCpuIn = second;
    }
  }

  /** The world seen through the construct's own capacity limits. */
  private record BoundedWorld(World world, int min, int max) implements World {
    @Override
    public long observedVisible(int second) {
      return world.observedVisible(second);
    }

    @Override
    public long observedInFlight(int second) {
      return world.observedInFlight(second);
    }

    @Override
    public int latestPublishedMinute(int second) {
      return world.latestPublishedMinute(second);
    }

    @Override
    public long visibleDatapoint(int minute) {
      return world.visibleDatapoint(minute);
    }

    @Override
    public int runningAt(int minute) {
      return world.runningAt(minute);
    }

    @Override
    public double busyShareAt(int minute) {
      return world.busyShareAt(minute);
    }

    @Override
    public int desired() {
      return world.desired();
    }

    @Override
    public int running() {
      return world.running();
    }

    @Override
    public int pending() {
      return world.pending();
    }

    @Override
    public void setDesired(int desired) {
      world.setDesired(Math.max(min, Math.min(max, desired)));
    }

    @Override
    public SimConfig config() {
      return world.config().withTasks(min, max);
    }
  }
}
