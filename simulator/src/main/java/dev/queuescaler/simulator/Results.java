package dev.queuescaler.simulator;

import java.util.Arrays;
import java.util.Locale;

/** What a run measured, per policy. */
final class Results {

  private Results() {}

  /**
   * One policy's numbers; the columns of summary.csv.
   *
   * @param firstTaskSeconds from the first arrival to the first running task; NaN if none ran
   * @param queuedAtEnd messages still visible or in flight when the run ended (conservation:
   *     arrived = processed + queuedAtEnd)
   */
  record PolicyResult(
      String policy,
      double p50AgeSeconds,
      double p95AgeSeconds,
      double p99AgeSeconds,
      double maxAgeSeconds,
      double sloAttainment,
      double taskMinutes,
      double costRatio,
      long scalingActions,
      double firstTaskSeconds,
      long maxBacklog,
      long arrived,
      long processed,
      long queuedAtEnd,
      int[] backlogPerMinute,
      int[] runningPerMinute) {

    PolicyResult withCostRatio(double referenceTaskMinutes) {
      return new PolicyResult(
          policy,
          p50AgeSeconds,
          p95AgeSeconds,
          p99AgeSeconds,
          maxAgeSeconds,
          sloAttainment,
          taskMinutes,
          referenceTaskMinutes > 0 ? taskMinutes / referenceTaskMinutes : 1,
          scalingActions,
          firstTaskSeconds,
          maxBacklog,
          arrived,
          processed,
          queuedAtEnd,
          backlogPerMinute,
          runningPerMinute);
    }

    static final String CSV_HEADER =
        "policy,p50AgeSeconds,p95AgeSeconds,p99AgeSeconds,maxAgeSeconds,sloAttainment,"
            + "taskMinutes,costRatio,scalingActions,firstTaskSeconds,maxBacklog,arrived,processed";

    String csvRow() {
      return String.join(
          ",",
          policy,
          number(p50AgeSeconds),
          number(p95AgeSeconds),
          number(p99AgeSeconds),
          number(maxAgeSeconds),
          String.format(Locale.ROOT, "%.4f", sloAttainment),
          String.format(Locale.ROOT, "%.1f", taskMinutes),
          String.format(Locale.ROOT, "%.2f", costRatio),
          Long.toString(scalingActions),
          Double.isNaN(firstTaskSeconds) ? "" : number(firstTaskSeconds),
          Long.toString(maxBacklog),
          Long.toString(arrived),
          Long.toString(processed));
    }

    private static String number(double value) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
  }

  /** Collects one run's measurements as it goes. */
  static final class Recorder {
    private final String policy;
    private final SimConfig config;
    private float[] ages;
    private int ageCount;
    private long processed;
    private long actions;
    private long maxBacklog;
    private int firstArrival = -1;
    private int firstRunning = -1;

    Recorder(String policy, SimConfig config, int messages) {
      this.policy = policy;
      this.config = config;
      this.ages = new float[Math.max(16, messages)];
    }

    private int[] backlogSeries = new int[64];
    private int[] runningSeries = new int[64];
    private int minutes;

    void arrived(int second) {
      if (firstArrival < 0) {
        firstArrival = second;
      }
    }

    void taskRunning(int second) {
      if (firstRunning < 0 && firstArrival >= 0) {
        firstRunning = second;
      }
    }

    void started(double ageSeconds) {
      if (ageCount == ages.length) {
        ages = Arrays.copyOf(ages, ages.length * 2);
      }
      ages[ageCount++] = (float) ageSeconds;
    }

    /** A message still waiting at the end: its age so far is a lower bound of its real age. */
    void waiting(int ageSeconds) {
      started(ageSeconds);
    }

    void processed() {
      processed++;
    }

    void scalingAction() {
      actions++;
    }

    void backlog(int visible) {
      maxBacklog = Math.max(maxBacklog, visible);
    }

    void sample(int second, int visible, int running) {
      if (second % 60 != 59) {
        return;
      }
      if (minutes == backlogSeries.length) {
        backlogSeries = Arrays.copyOf(backlogSeries, minutes * 2);
        runningSeries = Arrays.copyOf(runningSeries, minutes * 2);
      }
      backlogSeries[minutes] = visible;
      runningSeries[minutes] = running;
      minutes++;
    }

    PolicyResult finish(double taskSeconds, long arrived, long queuedAtEnd) {
      float[] sorted = Arrays.copyOf(ages, ageCount);
      Arrays.sort(sorted);
      long withinSlo = 0;
      for (float age : sorted) {
        if (age <= config.sloSeconds()) {
          withinSlo++;
        }
      }
      double attainment = ageCount == 0 ? 1 : (double) withinSlo / ageCount;
      return new PolicyResult(
          policy,
          percentile(sorted, 0.50),
          percentile(sorted, 0.95),
          percentile(sorted, 0.99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1],
          attainment,
          taskSeconds / 60,
          1,
          actions,
          firstRunning < 0 ? Double.NaN : firstRunning - firstArrival,
          maxBacklog,
          arrived,
          processed,
          queuedAtEnd,
          Arrays.copyOf(backlogSeries, minutes),
          Arrays.copyOf(runningSeries, minutes));
    }

    private static double percentile(float[] sorted, double q) {
      if (sorted.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }
}
