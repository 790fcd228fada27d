package dev.queuescaler.simulator;

import java.util.Random;

/**
 * The traffic of one run: how many messages arrive in each second, and how long each one's work
 * takes (lognormal around a median). Drawn once from the seed, so every policy sees the same
 * messages.
 */
public final class Workload {

  private final int[] arrivalsPerSecond;
  private final int[] firstMessageOfSecond;
  private final double[] workSeconds;
  private final String description;
  private final int leadInSeconds;

  private Workload(
      int[] arrivalsPerSecond, double[] workSeconds, String description, int leadInSeconds) {
    this.arrivalsPerSecond = arrivalsPerSecond;
    this.workSeconds = workSeconds;
    this.description = description;
    this.leadInSeconds = leadInSeconds;
    this.firstMessageOfSecond = new int[arrivalsPerSecond.length];
    int next = 0;
    for (int s = 0; s < arrivalsPerSecond.length; s++) {
      firstMessageOfSecond[s] = next;
      next += arrivalsPerSecond[s];
    }
  }

  /**
   * @param arrivalsPerSecond messages arriving in each second of the run
   * @param medianWorkSeconds the median processing time, > 0
   * @param sigma the lognormal's shape (0 for a constant time)
   */
  public static Workload of(
      int[] arrivalsPerSecond,
      double medianWorkSeconds,
      double sigma,
      long seed,
      String description) {
    long total = 0;
    for (int count : arrivalsPerSecond) {
      if (count < 0) {
        throw new IllegalArgumentException("arrival counts must be >= 0");
      }
      total += count;
    }
    if (total > 50_000_000) {
      throw new IllegalArgumentException("more than 50 million messages: scale the traffic down");
    }
    Random random = new Random(seed ^ 0x5DEECE66DL);
    double[] work = new double[(int) total];
    double mu = Math.log(medianWorkSeconds);
    for (int i = 0; i < work.length; i++) {
      work[i] = Math.exp(mu + sigma * random.nextGaussian());
    }
    return new Workload(arrivalsPerSecond.clone(), work, description, 0);
  }

  /**
   * The same traffic after {@code seconds} of silence, so that every policy starts with the same
   * history: the alarm policies have published idle datapoints to evaluate and the readers of the
   * queue have idle counts to read, instead of some of them being blind while others read the
   * traffic's first seconds. Nothing before the traffic is measured (see {@link #leadInSeconds}).
   */
  public Workload withIdleLeadIn(int seconds) {
    if (seconds < 0 || seconds % 60 != 0) {
      throw new IllegalArgumentException("a lead-in is whole minutes but was " + seconds + " s");
    }
    int[] shifted = new int[arrivalsPerSecond.length + seconds];
    System.arraycopy(arrivalsPerSecond, 0, shifted, seconds, arrivalsPerSecond.length);
    return new Workload(shifted, workSeconds, description, leadInSeconds + seconds);
  }

  /** The idle seconds before the traffic: no task-minute, action or minute of it is reported. */
  public int leadInSeconds() {
    return leadInSeconds;
  }

  public int seconds() {
    return arrivalsPerSecond.length;
  }

  public int arrivalsAt(int second) {
    return arrivalsPerSecond[second];
  }

  /**
   * The messages arriving in each minute of the traffic (after the lead-in), the last one possibly
   * short.
   */
  int[] arrivalsPerMinute() {
    int[] minutes = new int[(arrivalsPerSecond.length - leadInSeconds + 59) / 60];
    for (int second = leadInSeconds; second < arrivalsPerSecond.length; second++) {
      minutes[(second - leadInSeconds) / 60] += arrivalsPerSecond[second];
    }
    return minutes;
  }

  /** The index of the first message arriving in {@code second}. */
  int firstMessageAt(int second) {
    return firstMessageOfSecond[second];
  }

  double workOf(int message) {
    return workSeconds[message];
  }

  public int messages() {
    return workSeconds.length;
  }

  /** Seconds of work in the whole run: what a perfect fleet must do. */
  public double totalWorkSeconds() {
    double sum = 0;
    for (double w : workSeconds) {
      sum += w;
    }
    return sum;
  }

  public String description() {
    return description;
  }
}
