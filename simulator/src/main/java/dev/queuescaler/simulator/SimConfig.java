package dev.queuescaler.simulator;

/**
 * The modelled world.
 *
 * @param minTasks the fleet's lower bound, the same for every policy
 * @param maxTasks the fleet's upper bound, the same for every policy
 * @param concurrency messages one task processes at a time
 * @param observationLagSeconds how stale the queue counts a controller reads are. No public
 *     measurement exists; AWS's "may not achieve consistency until at least 1 minute after the
 *     producers stop" is about settling once sending stops, not a constant delay. The default is a
 *     central 10 s; every headline table is also generated at 0, 30 and 60 s
 * @param metricDelaySeconds when a 1-minute CloudWatch datapoint becomes visible to alarms after
 *     its minute ends. SQS publishes one datapoint a minute, which reaches CloudWatch 1-5 minutes
 *     late; the default is the fast end (60 s), so the alarm-based policies are never modelled
 *     slower than they can be (docs/sensitivity.md shows 120 s and 240 s)
 * @param launchMinSeconds the shortest Fargate task launch
 * @param launchMaxSeconds the longest Fargate task launch
 * @param visibilityTimeoutSeconds how long a message taken from a stopped busy task stays invisible
 * @param taskProtection whether scale-in stops only idle tasks (the worker's protection)
 * @param sloSeconds the age objective: share of messages that start within it
 * @param seed the random seed: same seed, same run
 * @param alignedAlarmPeriods whether a 5-minute alarm period is aligned to the clock (evaluated
 *     once its five datapoints are in) rather than the last five published minutes, evaluated every
 *     minute. CloudWatch evaluates alarms every minute; whether a 5-minute period slides with each
 *     evaluation the documentation does not say, so the default is the faster, sliding one
 */
public record SimConfig(
    int minTasks,
    int maxTasks,
    int concurrency,
    int observationLagSeconds,
    int metricDelaySeconds,
    int launchMinSeconds,
    int launchMaxSeconds,
    int visibilityTimeoutSeconds,
    boolean taskProtection,
    double sloSeconds,
    long seed,
    boolean alignedAlarmPeriods) {

  /** Sliding alarm periods (the default). */
  public SimConfig(
      int minTasks,
      int maxTasks,
      int concurrency,
      int observationLagSeconds,
      int metricDelaySeconds,
      int launchMinSeconds,
      int launchMaxSeconds,
      int visibilityTimeoutSeconds,
      boolean taskProtection,
      double sloSeconds,
      long seed) {
    this(
        minTasks,
        maxTasks,
        concurrency,
        observationLagSeconds,
        metricDelaySeconds,
        launchMinSeconds,
        launchMaxSeconds,
        visibilityTimeoutSeconds,
        taskProtection,
        sloSeconds,
        seed,
        false);
  }

  public SimConfig {
    if (minTasks < 0 || maxTasks < 1 || minTasks > maxTasks) {
      throw new IllegalArgumentException(
          "tasks must satisfy 0 <= min <= max, max >= 1 but were " + minTasks + ".." + maxTasks);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1 but was " + concurrency);
    }
    if (launchMinSeconds < 0 || launchMaxSeconds < launchMinSeconds) {
      throw new IllegalArgumentException("launch delay range is empty");
    }
    if (observationLagSeconds < 0 || metricDelaySeconds < 0 || visibilityTimeoutSeconds < 0) {
      throw new IllegalArgumentException("delays must be >= 0");
    }
    if (!(sloSeconds > 0)) {
      throw new IllegalArgumentException("--slo-seconds must be > 0 but was " + sloSeconds);
    }
  }

  public static SimConfig defaults() {
    return new SimConfig(0, 20, 10, 10, 60, 30, 60, 120, true, 60, 42);
  }

  public SimConfig withTasks(int min, int max) {
    return new SimConfig(
        min,
        max,
        concurrency,
        observationLagSeconds,
        metricDelaySeconds,
        launchMinSeconds,
        launchMaxSeconds,
        visibilityTimeoutSeconds,
        taskProtection,
        sloSeconds,
        seed,
        alignedAlarmPeriods);
  }
}
