package dev.queuescaler.simulator;

/**
 * CDK's {@code QueueProcessingFargateService} exactly as shipped: its own capacity limits (minimum
 * 1, maximum 2: {@code minScalingCapacity} and {@code maxScalingCapacity} defaults), the queue's
 * step policy ({@link AlarmStepController#cdkQueueProcessing()}: +1 at >= 100, +5 at >= 500, -1 at
 * 0 visible) and, beside it, the CPU target-tracking policy it also creates ({@code
 * cpuTargetUtilizationPercent} default 50, cooldowns 300 s). CPU is modelled as the share of the
 * running tasks' slots that are busy. Both policies act on the same desired count, as Application
 * Auto Scaling lets them.
 */
final class CdkAsShippedController implements Controller {

  static final int MIN_CAPACITY = 1;
  static final int MAX_CAPACITY = 2;
  static final double CPU_TARGET = 0.5;

  private final AlarmStepController queueSteps = AlarmStepController.cdkQueueProcessing();
  private final TrackingAlarms cpu = new TrackingAlarms(CPU_TARGET);
  private int lastMinuteSeen = -1;
  private int lastCpuOut = Integer.MIN_VALUE / 2;
  private int lastCpuIn = Integer.MIN_VALUE / 2;

  @Override
  public String name() {
    return "cdk-queue-processing-as-shipped";
  }

  @Override
  public String settings() {
    return "as shipped: capacity 1..2, "
        + queueSteps.settings()
        + "; plus CPU target tracking at 50 % (busy slots / slots), cooldowns 300 s";
  }

  @Override
  public void tick(int second, World world) {
    World bounded = new BoundedWorld(world, MIN_CAPACITY, MAX_CAPACITY);
    if (world.desired() < MIN_CAPACITY) {
      bounded.setDesired(MIN_CAPACITY);
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
    double utilization = world.busyShareAt(latest);
    cpu.add(utilization);
    int running = Math.max(1, world.runningAt(latest));
    int proportional = (int) Math.ceil(running * utilization / CPU_TARGET);
    if (cpu.high() && second - lastCpuOut >= 300 && proportional > world.desired()) {
      world.setDesired(proportional);
      lastCpuOut = second;
    } else if (cpu.low() && second - lastCpuIn >= 300 && proportional < world.desired()) {
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
    public long visibleMaximum(int minute) {
      return world.visibleMaximum(minute);
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
