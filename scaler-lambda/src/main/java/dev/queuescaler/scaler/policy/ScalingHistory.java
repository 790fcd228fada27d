package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the policy remembers between cycles: recent recommendations (for scale-in stabilization and
 * the scale-to-zero delay) with the in-flight count each saw (for the load term's average), the
 * time of the last scale-out that happened (for the cooldown), when the last few bursts began (for
 * {@link PeriodicBursts}): a scale-out at least {@link #BURST_GAP} after the one before it, and how
 * long the queue's last few pauses lasted ({@link Pauses}).
 *
 * <p>Only the recommendations inside the longest of those windows are kept, and {@link #after}
 * keeps at most {@link #MAX_ENTRIES} whatever the window and the sample rate: the history is one
 * DynamoDB item (at most 400 KB: about 12,500 entries, 52 hours of 15 s samples), and one that
 * outgrew it would fail every save, so its target would hold for good. A history that fits is kept
 * as it is (the defaults' at any sample interval: 300 s at 5 s is 60 entries). One that does not is
 * compacted, and only the answers of {@link #highestRecommendationWithin} may change, never
 * downwards. One exception: more than {@link #RAW_SAMPLES} samples in the load term's minute, which
 * one writer never takes (at most 12 at the shortest sample interval; a second writer beside the
 * scheduled one would), leave the average in flight over the newest of them, lower than without
 * compaction when the older ones were the busier:
 *
 * <ol>
 *   <li>The newest {@link #RAW_SAMPLES} samples of the load term's window stay as they are, with
 *       their in-flight counts (the average is taken over them), and so does the entry before them
 *       when it starts a quiet run that reaches into the window (the average counts the run's
 *       samples there from it).
 *   <li>Every older entry that a newer one matches or exceeds is dropped. That is exact: a window
 *       that holds it holds the newer one too. What remains is a staircase, higher the older.
 *   <li>Only if that staircase still has more than {@link #BUCKETS} steps (the fleet's
 *       recommendation fell through that many counts within the window) are its entries folded into
 *       time slices whose width grows with their age, at most a third of it: a bucket keeps the
 *       highest count of its entries at the latest of their times. So the highest recommendation
 *       within any window {@code W} is never lower than without compaction (no scale-in, no stop to
 *       zero comes earlier), and never higher than the highest within {@code W + sliceWidth(W)}, at
 *       most {@code W + max(W, 1 min) / 3}: a scale-in comes at most a third of its window later.
 * </ol>
 *
 * <p>A run of equal samples at the floor (the recommendation is min-tasks, the lowest any decision
 * under the target's parameters makes, and nothing is in flight) is kept by its first entry, so a
 * target waiting out its windows on an empty queue, at zero or kept warm by min-tasks, writes
 * nothing until its queue fills. That is exact for the policy: it reads a window's highest together
 * with the current recommendation, never below the floor; and an entry that saw nothing in flight
 * stands for the samples taken after it at its {@link Cadence} until the next entry, which {@link
 * #averageInFlight(Duration, Instant, long, Duration)} counts: every sample interval while the
 * target is active, once a {@link SamplingPlan#SCHEDULE} (the scheduled invocation's sample) once a
 * decision left it idle, no task and nothing queued, its idle checks deciding nothing. A change of
 * cadence is stored (one write when a target goes idle), and an idle sample taken after an
 * invocation's start stands for itself alone, so an idle run starts at an invocation's sample:
 * under the schedule's regular timing, the sample interval dividing the minute and idle checks on
 * its grid (the defaults, 15 s both), the load term's mean is that of every sample taken ({@code
 * ScalingHistoryProperties}). Two cases deviate: after min-tasks is lowered, a run at the old
 * minimum counts from its first entry, so a window may end up to the run's length earlier (a
 * scale-in, or the stop to zero, comes that much sooner); and after a gap in sampling (a missed
 * invocation) the average counts the samples the gap would have held, with nothing in flight, when
 * the entry before the gap saw nothing in flight.
 *
 * <p>Compaction assumes times move forward: a bucket stands for older entries at its latest time,
 * so a cycle whose clock is behind a stored time must read that time as its own now, never drop it.
 */
public record ScalingHistory(
    List<Recommendation> recommendations,
    Optional<Instant> lastScaleOut,
    List<Instant> burstStarts,
    Pauses pauses) {

  public static final ScalingHistory EMPTY = new ScalingHistory(List.of(), Optional.empty());

  /**
   * How long after the previous scale-out a scale-out starts a new burst: two minutes, twice the
   * schedule, so the scale-outs of one burst (one a sample while it grows) count once.
   */
  public static final Duration BURST_GAP = Duration.ofSeconds(120);

  /** The burst starts kept, newest last: the four that give {@link PeriodicBursts} three gaps. */
  public static final int BURST_STARTS = 4;

  /** The most entries {@link #after} keeps; a history that grows past it is compacted. */
  public static final int MAX_ENTRIES = 64;

  /**
   * Samples of the load term's window kept as they are when compacting: more than the shortest
   * sample interval gives a minute (12 at 5 s). Beyond it (a second writer beside the Lambda) the
   * average in flight is over the newest of them. One more entry stays as it is: the first of a
   * quiet run that began before the window, whose samples inside it the average counts.
   */
  public static final int RAW_SAMPLES = 16;

  /** Slices per doubling of age: a slice is at most a third as wide as the age it holds. */
  static final int SLICES_PER_DOUBLING = 3;

  /**
   * Doublings of age, from the load term's minute: 2^11 minutes (34 h) covers the longest window of
   * the contract (scale-to-zero-delay-seconds, a day). A longer retention widens every slice.
   */
  static final int LEVELS = 11;

  /**
   * The most buckets compaction leaves besides the raw samples: ages under two minutes meet at most
   * 2 x 3 + 1 slices, each further doubling at most 3 + 1. With {@link #RAW_SAMPLES} and a quiet
   * run's first entry, that is {@link #MAX_ENTRIES}.
   */
  public static final int BUCKETS =
      2 * SLICES_PER_DOUBLING + 1 + (LEVELS - 1) * (SLICES_PER_DOUBLING + 1);

  public ScalingHistory {
    recommendations =
        recommendations.stream().sorted(Comparator.comparing(Recommendation::at)).toList();
    Objects.requireNonNull(lastScaleOut, "lastScaleOut");
    Objects.requireNonNull(burstStarts, "burstStarts");
    Objects.requireNonNull(pauses, "pauses");
    List<Instant> sortedStarts = burstStarts.stream().sorted().toList();
    burstStarts =
        sortedStarts.subList(Math.max(0, sortedStarts.size() - BURST_STARTS), sortedStarts.size());
  }

  /** A history without pauses (stored before they were kept, or none yet). */
  public ScalingHistory(
      List<Recommendation> recommendations,
      Optional<Instant> lastScaleOut,
      List<Instant> burstStarts) {
    this(recommendations, lastScaleOut, burstStarts, Pauses.NONE);
  }

  /** A history without burst starts (stored before they were kept, or none yet). */
  public ScalingHistory(List<Recommendation> recommendations, Optional<Instant> lastScaleOut) {
    this(recommendations, lastScaleOut, List.of());
  }

  /**
   * This history, or, when neither it nor the count the scaler last set explains the {@code
   * current} fleet, one that counts that fleet as recommended at {@code now}: the stabilization
   * window and the delay to zero then run from there, not from a past the scaler never saw, and a
   * fleet found running is not dropped on the first read of an empty queue. Nothing explains it
   * when the fleet is above min-tasks (at or below it, the recommendation is at least the fleet:
   * nothing to hold), is not {@code lastSet} (the count the scaler's last action set, if it knows
   * one), and no recommendation is recorded within the retention ({@link
   * ScalingParameters#historyRetention()}): a target seen for the first time, one whose stored
   * state was lost, or one switched back on (or whose schedule resumed) after longer than the
   * retention, with a count set by hand or by another scaler meanwhile. The Kubernetes HPA does the
   * same: it records a new autoscaler's current replicas as its first recommendation (and a paused
   * KEDA scaler's HPA is created anew).
   *
   * <p>The entry has no in-flight count, so the load term's average does not count it, and it is a
   * millisecond before {@code now}, so the sample stored at {@code now} ({@link #after}, which
   * replaces an entry at its own instant) keeps it, and the state item, which stores milliseconds,
   * keeps it apart. Its count is above the floor, so it starts no run of samples at the floor.
   */
  public ScalingHistory withFleetAsFound(
      int current, Optional<Integer> lastSet, ScalingParameters parameters, Instant now) {
    if (current <= parameters.minTasks() || lastSet.equals(Optional.of(current))) {
      return this;
    }
    Instant retained = now.minus(parameters.historyRetention());
    if (recommendations.stream().anyMatch(r -> r.at().isAfter(retained))) {
      return this;
    }
    List<Recommendation> seeded = new ArrayList<>(recommendations);
    seeded.add(new Recommendation(now.minus(FIRST_SIGHT_LEAD), current));
    return new ScalingHistory(seeded, lastScaleOut, burstStarts, pauses);
  }

  /** How long before the first sample the fleet as found counts as recommended. */
  static final Duration FIRST_SIGHT_LEAD = Duration.ofMillis(1);

  /**
   * The highest recommendation recorded strictly after {@code now - window}, if any. With a zero
   * window nothing recorded counts.
   */
  public Optional<Integer> highestRecommendationWithin(Duration window, Instant now) {
    Instant cutoff = now.minus(window);
    return recommendations.stream()
        .filter(r -> r.at().isAfter(cutoff) && !r.at().isAfter(now))
        .map(Recommendation::tasks)
        .max(Integer::compare);
  }

  /**
   * The mean in-flight count over the samples recorded strictly after {@code now - window} and the
   * one seen {@code now}, the target sampled every {@link SamplingPlan#DEFAULT} interval: see
   * {@link #averageInFlight(Duration, Instant, long, Duration)}.
   */
  public double averageInFlight(Duration window, Instant now, long inFlightNow) {
    return averageInFlight(window, now, inFlightNow, SamplingPlan.DEFAULT.interval());
  }

  /**
   * The mean in-flight count over the samples taken strictly after {@code now - window} and the one
   * seen {@code now}: the load term's stable window (Knative's KPA averages over 60 s). A run of
   * samples at the floor is stored by its first ({@link #after}), so an entry that saw nothing in
   * flight stands for the samples taken at its {@link Cadence} after it until the next entry (or
   * now): every {@code sampleInterval} for an active target, once a {@link SamplingPlan#SCHEDULE}
   * for an idle one. Each of those inside the window counts as one more sample with nothing in
   * flight; one due less than half a sample interval before the next is that next sample, a little
   * late. Under the schedule's regular timing that is the mean of every sample taken; after a gap
   * in sampling it counts the samples the gap would have held.
   */
  public double averageInFlight(
      Duration window, Instant now, long inFlightNow, Duration sampleInterval) {
    Instant cutoff = now.minus(window);
    double sum = inFlightNow;
    long count = 1;
    List<Recommendation> before =
        recommendations.stream().filter(r -> r.at().isBefore(now)).toList();
    for (int i = 0; i < before.size(); i++) {
      Recommendation r = before.get(i);
      if (r.inFlight().isEmpty()) {
        continue;
      }
      if (r.at().isAfter(cutoff)) {
        sum += r.inFlight().getAsLong();
        count++;
      }
      if (r.inFlight().getAsLong() == 0) {
        Instant until = i + 1 < before.size() ? before.get(i + 1).at() : now;
        count +=
            switch (r.cadence()) {
              case EVERY_SAMPLE ->
                  impliedSamples(r.at(), cutoff, until, sampleInterval, sampleInterval);
              case EVERY_INVOCATION ->
                  impliedSamples(r.at(), cutoff, until, SamplingPlan.SCHEDULE, sampleInterval);
              case ALONE -> 0;
            };
      }
    }
    return sum / count;
  }

  /**
   * The samples due every {@code every} after {@code first}, strictly after {@code cutoff} and at
   * least half a {@code sampleInterval} before {@code next}, the next sample taken (counted by
   * itself, even a little late).
   */
  private static long impliedSamples(
      Instant first, Instant cutoff, Instant next, Duration every, Duration sampleInterval) {
    long step = every.toNanos();
    if (step <= 0) {
      return 0;
    }
    long last =
        Math.floorDiv(Duration.between(first, next).toNanos() - sampleInterval.toNanos() / 2, step);
    long firstInWindow =
        Math.max(1, Math.floorDiv(Duration.between(first, cutoff).toNanos(), step) + 1);
    return Math.max(0, last - firstInWindow + 1);
  }

  /**
   * Whether the stored samples say a queue had nothing to do for the last {@code window}: the
   * newest sample up to {@code now} asked for at most {@code floor} (min-tasks) tasks and saw
   * nothing in flight, and no sample from the one that starts the window on saw a message in
   * flight. The one that starts it is the newest at or before {@code now - window + late}: a sample
   * is stored at its offset plus the time it took to start, so one due at the window's start may be
   * a little later than it ({@code late}, half a sample interval, as {@link #averageInFlight}
   * allows). A stored sample keeps the count it recommended, not what it saw visible, so the newest
   * one asking for no task is how a batch seen waiting for its tasks counts as work; but a sample
   * at the floor that repeats the run before it is not stored ({@link #after}), so one that saw
   * messages the floor covers (delayed ones that do not count, a batch min-tasks serves) leaves no
   * trace. An entry without an in-flight count (folded by compaction), or no entry as old as the
   * window, is no evidence.
   */
  public boolean nothingToDoWithin(Duration window, int floor, Instant now, Duration late) {
    Instant cutoff = now.minus(window).plus(late);
    List<Recommendation> upToNow =
        recommendations.stream().filter(r -> !r.at().isAfter(now)).toList();
    if (upToNow.isEmpty() || upToNow.get(upToNow.size() - 1).tasks() > floor) {
      return false;
    }
    int first = -1;
    for (int i = 0; i < upToNow.size(); i++) {
      if (!upToNow.get(i).at().isAfter(cutoff)) {
        first = i;
      }
    }
    return first >= 0
        && upToNow.subList(first, upToNow.size()).stream()
            .allMatch(r -> r.inFlight().isPresent() && r.inFlight().getAsLong() == 0);
  }

  /** Whether a scale-out happened less than {@code cooldown} before {@code now}. */
  public boolean scaledOutWithin(Duration cooldown, Instant now) {
    return lastScaleOut
        .map(last -> !cooldown.isZero() && last.plus(cooldown).isAfter(now))
        .orElse(false);
  }

  /**
   * This history after a cycle at {@code now}: its recommendation added, entries older than the
   * window dropped, and the scale-out time moved to {@code now} when a scale-out was applied (a
   * burst start too, when the previous scale-out is {@link #BURST_GAP} or more before it).
   */
  public ScalingHistory after(Instant now, int recommended, boolean scaledOut, Duration window) {
    return after(now, recommended, OptionalLong.empty(), scaledOut, window);
  }

  /**
   * This history after a cycle at {@code now} that saw {@code inFlight}: as {@link #after(Instant,
   * int, boolean, Duration)}, keeping entries for {@code retention}, at most {@link #MAX_ENTRIES}.
   */
  public ScalingHistory after(
      Instant now, int recommended, OptionalLong inFlight, boolean scaledOut, Duration retention) {
    return after(now, recommended, inFlight, scaledOut, retention, 0);
  }

  /**
   * This history after a cycle at {@code now} of an active target (sampled every sample interval
   * after it): see {@link #after(Instant, int, OptionalLong, boolean, Duration, int, Cadence)}.
   */
  public ScalingHistory after(
      Instant now,
      int recommended,
      OptionalLong inFlight,
      boolean scaledOut,
      Duration retention,
      int floor) {
    return after(now, recommended, inFlight, scaledOut, retention, floor, Cadence.EVERY_SAMPLE);
  }

  /**
   * This history after a cycle at {@code now} that saw {@code inFlight}, under parameters whose
   * lowest recommendation is {@code floor} (min-tasks), the target sampled at {@code cadence} after
   * it: as {@link #after(Instant, int, OptionalLong, boolean, Duration)}, except that a sample at
   * the floor with nothing in flight that repeats the newest entry, cadence included, is not
   * stored.
   */
  public ScalingHistory after(
      Instant now,
      int recommended,
      OptionalLong inFlight,
      boolean scaledOut,
      Duration retention,
      int floor,
      Cadence cadence) {
    Objects.requireNonNull(cadence, "cadence");
    if (!scaledOut
        && recommended <= floor
        && inFlight.orElse(0) == 0
        && endsAtFloor(recommended, cadence)) {
      // A run of samples at the floor is kept by its first: the policy reads a window's highest
      // together with the current recommendation, never below the floor, so a floor value never
      // raises it; and the average in flight counts the run's samples from its first, at its
      // cadence (averageInFlight). A target waiting out its windows on an empty queue, at zero or
      // kept warm by min-tasks, then stores nothing new: no DynamoDB write. A change of cadence (a
      // target that goes idle, or wakes below activation) is stored once.
      return this;
    }
    Instant cutoff = now.minus(retention);
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff) && r.at().isBefore(now)) {
        kept.add(r);
      }
    }
    kept.add(new Recommendation(now, recommended, inFlight, cadence));
    return new ScalingHistory(
        compact(kept, now, retention),
        scaledOut ? Optional.of(now) : lastScaleOut,
        scaledOut ? burstStartsAfterScaleOut(now) : burstStarts,
        pauses);
  }

  /**
   * This history after a stored sample at {@code now} read {@code read}: its {@link Pauses} updated
   * when {@code parameters} release after long pauses (the same history when that changes nothing).
   * Kept only while the key is on, where the first empty read after work and the first read with
   * work after a quiet spell are stored for them (two writes a pause); off, they are forgotten (one
   * write), so a key turned on again waits for three new pauses rather than acting on old ones.
   */
  public ScalingHistory withQueueSeen(
      Instant now, QueueSnapshot read, ScalingParameters parameters) {
    Pauses next = parameters.scaleInAfterLongPauses() ? pauses.after(now, read) : Pauses.NONE;
    return next.equals(pauses)
        ? this
        : new ScalingHistory(recommendations, lastScaleOut, burstStarts, next);
  }

  /**
   * The burst starts after a scale-out at {@code now}: it starts one when none came just before.
   */
  private List<Instant> burstStartsAfterScaleOut(Instant now) {
    boolean startsBurst =
        lastScaleOut
            .map(last -> !Duration.between(last, now).minus(BURST_GAP).isNegative())
            .orElse(true);
    if (!startsBurst) {
      return burstStarts;
    }
    List<Instant> starts = new ArrayList<>(burstStarts);
    starts.removeIf(start -> !start.isBefore(now));
    starts.add(now);
    return starts;
  }

  /**
   * Whether the newest sample recommended {@code tasks}, saw nothing in flight and stands for the
   * samples after it at {@code cadence}. An entry that stands for itself alone ({@link
   * Cadence#ALONE}) starts no run.
   */
  private boolean endsAtFloor(int tasks, Cadence cadence) {
    if (recommendations.isEmpty() || cadence == Cadence.ALONE) {
      return false;
    }
    Recommendation last = recommendations.get(recommendations.size() - 1);
    return last.tasks() == tasks && last.inFlight().orElse(0) == 0 && last.cadence() == cadence;
  }

  /**
   * {@code sorted} (none after {@code now} nor older than {@code retention}) within {@link
   * #MAX_ENTRIES}, as the class comment describes.
   */
  private static List<Recommendation> compact(
      List<Recommendation> sorted, Instant now, Duration retention) {
    if (sorted.size() <= MAX_ENTRIES) {
      return sorted;
    }
    Instant loadCutoff = now.minus(LoadTerm.STABLE_WINDOW);
    int firstRaw = sorted.size();
    while (firstRaw > 0
        && sorted.size() - firstRaw < RAW_SAMPLES
        && sorted.get(firstRaw - 1).at().isAfter(loadCutoff)) {
      firstRaw--;
    }
    if (firstRaw > 0
        && !sorted.get(firstRaw - 1).at().isAfter(loadCutoff)
        && standsForLaterSamples(sorted.get(firstRaw - 1))) {
      // The first entry of a quiet run that reaches into the window: averageInFlight counts the
      // run's samples inside the window from it, so it keeps its in-flight count too.
      firstRaw--;
    }
    List<Recommendation> raw = sorted.subList(firstRaw, sorted.size());
    int rawHighest = raw.stream().mapToInt(Recommendation::tasks).max().orElse(-1);
    List<Recommendation> older = undominated(sorted.subList(0, firstRaw), rawHighest);
    if (older.size() > BUCKETS) {
      older = undominated(folded(older, now, retention), rawHighest);
    }
    List<Recommendation> compacted = new ArrayList<>(older);
    compacted.addAll(raw);
    return compacted;
  }

  /** Whether {@code entry} saw nothing in flight and stands for the samples after it. */
  private static boolean standsForLaterSamples(Recommendation entry) {
    return entry.inFlight().isPresent()
        && entry.inFlight().getAsLong() == 0
        && entry.cadence() != Cadence.ALONE;
  }

  /**
   * The entries of {@code sorted} that no newer one matches or exceeds, {@code newerHighest}
   * included, without their in-flight counts (they are not averaged once compacted).
   */
  private static List<Recommendation> undominated(List<Recommendation> sorted, int newerHighest) {
    List<Recommendation> kept = new ArrayList<>();
    int highest = newerHighest;
    for (int i = sorted.size() - 1; i >= 0; i--) {
      Recommendation r = sorted.get(i);
      if (r.tasks() > highest) {
        kept.add(new Recommendation(r.at(), r.tasks()));
        highest = r.tasks();
      }
    }
    Collections.reverse(kept);
    return kept;
  }

  /**
   * {@code sorted} folded into slices of a grid fixed in time, whose width doubles with each
   * doubling of an entry's age at {@code now}: {@link #sliceWidth}. Grids of two widths nest, so an
   * aging bucket falls whole into a wider slice. Each bucket: the highest count, the latest time.
   */
  private static List<Recommendation> folded(
      List<Recommendation> sorted, Instant now, Duration retention) {
    long anchor = anchorMillis(retention);
    Map<List<Long>, Recommendation> buckets = new HashMap<>();
    for (Recommendation r : sorted) {
      int level = level(Math.max(0, Duration.between(r.at(), now).toMillis()), anchor);
      long width = (anchor / SLICES_PER_DOUBLING) << level;
      buckets.merge(
          List.of((long) level, Math.floorDiv(r.at().toEpochMilli(), width)),
          r,
          (a, b) ->
              new Recommendation(
                  a.at().isAfter(b.at()) ? a.at() : b.at(), Math.max(a.tasks(), b.tasks())));
    }
    List<Recommendation> folded = new ArrayList<>(buckets.values());
    folded.sort(Comparator.comparing(Recommendation::at));
    return folded;
  }

  /** The ladder's level of an age: 0 under two anchors, then one more per doubling. */
  private static int level(long ageMillis, long anchor) {
    int level = 0;
    while (level < LEVELS - 1 && ageMillis >= anchor << (level + 1)) {
      level++;
    }
    return level;
  }

  /**
   * The width of the slice an entry {@code age} old is folded into under {@code retention}: a third
   * of the anchor (a minute, the load term's window; more for a retention past 34 h) under two
   * anchors, then a third of the age's power-of-two multiple of the anchor. So it is at most a
   * third of the age or of the anchor, whichever is longer, and a window's highest may come from at
   * most that much before it.
   */
  public static Duration sliceWidth(Duration age, Duration retention) {
    long anchor = anchorMillis(retention);
    int level = level(Math.max(0, age.toMillis()), anchor);
    return Duration.ofMillis((anchor / SLICES_PER_DOUBLING) << level);
  }

  /**
   * The ladder's first step, a multiple of {@link #SLICES_PER_DOUBLING} milliseconds: the load
   * term's window, or more when {@link #LEVELS} doublings of it would not cover the retention.
   */
  private static long anchorMillis(Duration retention) {
    long retentionMillis = Math.max(1, retention.plusNanos(999_999).toMillis());
    long covering = (retentionMillis + (1L << LEVELS) - 1) >> LEVELS;
    long anchor = Math.max(LoadTerm.STABLE_WINDOW.toMillis(), covering);
    return (anchor + SLICES_PER_DOUBLING - 1) / SLICES_PER_DOUBLING * SLICES_PER_DOUBLING;
  }

  /**
   * The same history with the last scale-out time and the burst starts of {@code earlier}: undoes a
   * failed scale-out.
   */
  public ScalingHistory withLastScaleOutOf(ScalingHistory earlier) {
    return new ScalingHistory(
        recommendations, earlier.lastScaleOut(), earlier.burstStarts(), pauses);
  }
}
