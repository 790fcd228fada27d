package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Bursts that come at a steady period (a cron job, a batch every few minutes), read from the last
 * four burst starts the history keeps ({@link ScalingHistory#burstStarts()}): the period holds when
 * their three gaps agree within {@link #GAP_TOLERANCE} and the last is at least {@link #SHORTEST}.
 * Three gaps, not two: on the Azure code trace two gaps of its irregular bursts sometimes agree by
 * chance, and a release then met the next burst with one task (docs/decisions.md). Between two such
 * bursts a drained queue need not hold its fleet for the stabilization window: the window exists
 * for the noise of a busy queue's counts, and the next burst is still far off.
 *
 * <p>The rules were chosen on the traffic families' tuning draws (docs/decisions.md, "Scale in
 * between periodic bursts").
 */
public final class PeriodicBursts {

  /** How far two gaps may differ and still be one period: two samples of the invocation's 15 s. */
  public static final Duration GAP_TOLERANCE = Duration.ofSeconds(30);

  /**
   * The shortest period: three minutes, so that the release (at least {@link #SETTLED} after one
   * burst, {@link #LEAD} before the next) has a moment to act in.
   */
  public static final Duration SHORTEST = Duration.ofSeconds(180);

  /**
   * How long after the last scale-out before a fleet may be released: a burst's first minute, in
   * which it may still grow.
   */
  public static final Duration SETTLED = Duration.ofSeconds(60);

  /**
   * How long before the next expected burst the fleet is no longer released: a task's start (30-60
   * s on Fargate) and a little more, so a burst a little early still finds the fleet it had.
   */
  public static final Duration LEAD = Duration.ofSeconds(75);

  private PeriodicBursts() {}

  /**
   * When the next burst is due (the last start plus the last gap), if the last {@link
   * ScalingHistory#BURST_STARTS} starts keep a period: their three gaps within {@link
   * #GAP_TOLERANCE} of each other, the last at least {@link #SHORTEST}.
   */
  public static Optional<Instant> nextBurst(List<Instant> starts) {
    int n = starts.size();
    if (n < ScalingHistory.BURST_STARTS) {
      return Optional.empty();
    }
    List<Duration> gaps = new ArrayList<>();
    for (int i = n - ScalingHistory.BURST_STARTS + 1; i < n; i++) {
      gaps.add(Duration.between(starts.get(i - 1), starts.get(i)));
    }
    Duration shortest = Collections.min(gaps);
    Duration longest = Collections.max(gaps);
    Duration last = gaps.get(gaps.size() - 1);
    boolean agree = longest.minus(shortest).compareTo(GAP_TOLERANCE) <= 0;
    boolean longEnough = last.compareTo(SHORTEST) >= 0;
    return agree && longEnough ? Optional.of(starts.get(n - 1).plus(last)) : Optional.empty();
  }

  /**
   * Whether {@code now} is a lull between periodic bursts in which a drained fleet may be released:
   *
   * <ul>
   *   <li>the next burst is due more than {@link #LEAD} from now;
   *   <li>the last scale-out is at least {@link #SETTLED} old and outside the cooldown, so the
   *       fleet is not still growing and may scale out at once when the next burst comes;
   *   <li>the newest stored sample saw nothing in flight and asked for no more tasks than min-tasks
   *       or its own load term (its backlog asked for nothing more: no burst waiting for tasks that
   *       are still starting), so one empty read of SQS's approximate counts never drops a fleet
   *       that was working;
   *   <li>and, when that sample is above min-tasks, it is the last read: no older than one and a
   *       half sample intervals (a read above the floor is always stored, so an older one means
   *       reads since were lost, and it stands for none of them).
   * </ul>
   */
  public static boolean lull(
      ScalingHistory history, Instant now, ScalingParameters parameters, Duration sampleInterval) {
    List<Instant> starts = history.burstStarts();
    Optional<Instant> next = nextBurst(starts);
    if (next.isEmpty() || Duration.between(now, next.get()).compareTo(LEAD) <= 0) {
      return false;
    }
    Instant lastScaleOut = history.lastScaleOut().orElse(starts.get(starts.size() - 1));
    Duration cooldown = parameters.scaleOutCooldown();
    Duration settle = cooldown.compareTo(SETTLED) > 0 ? cooldown : SETTLED;
    if (now.isBefore(lastScaleOut.plus(settle))) {
      return false;
    }
    List<Recommendation> before =
        history.recommendations().stream().filter(r -> r.at().isBefore(now)).toList();
    if (before.isEmpty()) {
      return false;
    }
    Recommendation newest = before.get(before.size() - 1);
    if (newest.inFlight().isEmpty() || newest.inFlight().getAsLong() != 0) {
      return false;
    }
    if (newest.tasks() <= parameters.minTasks()) {
      return true;
    }
    Duration lastRead = sampleInterval.plus(sampleInterval.dividedBy(2));
    double loadThen =
        history.averageInFlight(LoadTerm.STABLE_WINDOW, newest.at(), 0, sampleInterval);
    return !newest.at().isBefore(now.minus(lastRead))
        && newest.tasks() <= ScalingPolicy.loadTasks(parameters, loadThen);
  }
}
