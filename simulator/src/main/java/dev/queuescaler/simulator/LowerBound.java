package dev.queuescaler.simulator;

/**
 * A proven lower bound on the task-seconds of any fleet that starts every message within {@code
 * maxAge} seconds of its arrival, on the same fleet as every policy: tasks launch at least {@link
 * SimConfig#launchMinSeconds()} before they run, Fargate bills each for a minute at least, a task
 * holds {@link SimConfig#concurrency()} messages at a time, and at most {@link
 * SimConfig#maxTasks()} run. It is the larger of two bounds, each of which every such fleet pays:
 *
 * <ul>
 *   <li><b>Presence.</b> A message arriving at {@code a} starts in {@code [a, a + maxAge]}, so a
 *       task runs at some instant of that interval. Group the running time of all tasks into its
 *       connected stretches: a stretch of length {@code L} costs at least {@code launchMin + L}
 *       (its first task was billed for its launch) and at least a minute. A dynamic program over
 *       the arrival seconds finds the cheapest stretches that meet every interval.
 *   <li><b>Volume.</b> Every message whose deadline falls in the run is worked on: the running time
 *       of all tasks holds at least that work divided by the slots per task, and each task that
 *       runs also paid its launch. The tasks that must run at once is at least the work of the
 *       messages that arrive at or after {@code u} and must finish by {@code v}, over the slots of
 *       {@code v - u} seconds, for any window; each of those tasks paid its launch and a minute.
 * </ul>
 *
 * <p>Unlike an oracle's schedule (a fleet that is feasible, which a cleverer fleet can beat), no
 * fleet that meets the age can cost less: {@code LowerBoundTest} runs every policy, every oracle
 * and a grid of settings against it. A policy that lets some message wait longer is held to the
 * bound at its own maximum age.
 */
final class LowerBound {

  /** Window lengths beyond the age tried for the volume bound, in seconds. */
  private static final int[] WINDOWS = {1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600, 1800};

  /** Work per message is bucketed by whole seconds up to this; longer messages are left out. */
  private static final int WORK_BUCKETS = 12;

  private LowerBound() {}

  /** The bound, in task-seconds, for fleets that start every message within {@code maxAge}. */
  static double taskSeconds(SimConfig config, Workload workload, double maxAge) {
    if (!(maxAge >= 0)) {
      throw new IllegalArgumentException("maxAge must be >= 0 but was " + maxAge);
    }
    return Math.max(presence(config, workload, maxAge), volume(config, workload, maxAge));
  }

  /**
   * The tasks that must run at the same instant for {@code maxAge}, which can exceed max-tasks:
   * then no fleet within the limits meets the age.
   */
  static int peakTasks(SimConfig config, Workload workload, double maxAge) {
    int seconds = workload.seconds();
    int age = (int) Math.ceil(maxAge);
    // prefix[k][a]: the work of messages of k whole seconds (ceil) arriving before second a.
    double[][] prefix = new double[WORK_BUCKETS + 1][seconds + 1];
    for (int second = 0; second < seconds; second++) {
      for (int k = 1; k <= WORK_BUCKETS; k++) {
        prefix[k][second + 1] = prefix[k][second];
      }
      int first = workload.firstMessageAt(second);
      for (int m = first; m < first + workload.arrivalsAt(second); m++) {
        int k = Math.max(1, (int) Math.ceil(workload.workOf(m)));
        if (k <= WORK_BUCKETS) {
          prefix[k][second + 1] += workload.workOf(m);
        }
      }
    }
    double peak = 0;
    for (int extra : WINDOWS) {
      int length = age + extra;
      for (int from = 0; from + length <= seconds; from++) {
        int to = from + length;
        double work = 0;
        for (int k = 1; k <= WORK_BUCKETS; k++) {
          // Arrived at or after `from`, and arrival + age + work <= `to`: started and done inside.
          int lastArrival = to - age - k;
          if (lastArrival >= from) {
            work += prefix[k][lastArrival + 1] - prefix[k][from];
          }
        }
        peak = Math.max(peak, work / ((double) config.concurrency() * length));
      }
    }
    return (int) Math.ceil(peak - 1e-9);
  }

  private static double volume(SimConfig config, Workload workload, double maxAge) {
    int seconds = workload.seconds();
    double work = 0;
    for (int second = 0; second < seconds; second++) {
      int first = workload.firstMessageAt(second);
      for (int m = first; m < first + workload.arrivalsAt(second); m++) {
        if (second + maxAge + workload.workOf(m) <= seconds) {
          work += workload.workOf(m);
        }
      }
    }
    int peak = Math.min(config.maxTasks(), peakTasks(config, workload, maxAge));
    return Math.max(
        work / config.concurrency() + (double) peak * config.launchMinSeconds(),
        (double) peak * Simulation.FARGATE_MINIMUM_SECONDS);
  }

  /**
   * best[j]: the cheapest stretches that meet the first j arrival seconds' intervals. The stretch
   * that meets arrivals i..j runs at least from a_i + age to a_j; once that is longer than a minute
   * less the launch, its cost grows with a_j, so the best start is a running minimum.
   */
  private static double presence(SimConfig config, Workload workload, double maxAge) {
    int seconds = workload.seconds();
    int launch = config.launchMinSeconds();
    // A stretch costs max(a minute, its launch + its length).
    double minimum = Math.max(Simulation.FARGATE_MINIMUM_SECONDS, launch);
    // Arrival seconds whose messages must have started before the run ended.
    int[] arrivals = new int[seconds];
    int count = 0;
    for (int second = 0; second < seconds; second++) {
      if (workload.arrivalsAt(second) > 0 && second + maxAge < seconds) {
        arrivals[count++] = second;
      }
    }
    if (count == 0) {
      return 0;
    }
    double[] best = new double[count + 1];
    int flat = 0; // the first i whose stretch to j still costs the minimum
    double slopedMin = Double.POSITIVE_INFINITY; // min over i < flat of best[i] - a_i
    for (int j = 0; j < count; j++) {
      while (arrivals[j] - arrivals[flat] - maxAge + launch > minimum) {
        slopedMin = Math.min(slopedMin, best[flat] - arrivals[flat]);
        flat++;
      }
      double cost = best[flat] + minimum;
      if (slopedMin < Double.POSITIVE_INFINITY) {
        cost = Math.min(cost, slopedMin + launch + arrivals[j] - maxAge);
      }
      best[j + 1] = cost;
    }
    return best[count];
  }
}
