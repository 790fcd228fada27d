package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the policy remembers between cycles: recent recommendations (for scale-in stabilization and
 * the scale-to-zero delay) with the in-flight count each saw (for the load term's average), and the
 * time of the last scale-out that happened (for the cooldown).
 *
 * <p>Only the recommendations inside the longest of those windows are kept, so the stored state
 * stays small whatever the cycle rate.
 */
public record ScalingHistory(List<Recommendation> recommendations, Optional<Instant> lastScaleOut) {

  public static final ScalingHistory EMPTY = new ScalingHistory(List.of(), Optional.empty());

  public ScalingHistory {
    recommendations =
        recommendations.stream().sorted(Comparator.comparing(Recommendation::at)).toList();
    Objects.requireNonNull(lastScaleOut, "lastScaleOut");
  }

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
   * one seen {@code now}: the load term's stable window (Knative's KPA averages over 60 s).
   */
  public double averageInFlight(Duration window, Instant now, long inFlightNow) {
    Instant cutoff = now.minus(window);
    double sum = inFlightNow;
    int count = 1;
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff) && r.at().isBefore(now) && r.inFlight().isPresent()) {
        sum += r.inFlight().getAsLong();
        count++;
      }
    }
    return sum / count;
  }

  /** Whether a scale-out happened less than {@code cooldown} before {@code now}. */
  public boolean scaledOutWithin(Duration cooldown, Instant now) {
    return lastScaleOut
        .map(last -> !cooldown.isZero() && last.plus(cooldown).isAfter(now))
        .orElse(false);
  }

  /**
   * This history after a cycle at {@code now}: its recommendation added, entries older than the
   * window dropped, and the scale-out time moved to {@code now} when a scale-out was applied.
   */
  public ScalingHistory after(Instant now, int recommended, boolean scaledOut, Duration window) {
    return after(now, recommended, OptionalLong.empty(), scaledOut, window);
  }

  /**
   * This history after a cycle at {@code now} that saw {@code inFlight}: as {@link #after(Instant,
   * int, boolean, Duration)}, keeping entries for {@code retention}.
   */
  public ScalingHistory after(
      Instant now, int recommended, OptionalLong inFlight, boolean scaledOut, Duration retention) {
    Instant cutoff = now.minus(retention);
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff) && r.at().isBefore(now)) {
        kept.add(r);
      }
    }
    kept.add(new Recommendation(now, recommended, inFlight));
    return new ScalingHistory(kept, scaledOut ? Optional.of(now) : lastScaleOut);
  }

  /**
   * The same history with the last scale-out time of {@code earlier}: undoes a failed scale-out.
   */
  public ScalingHistory withLastScaleOutOf(ScalingHistory earlier) {
    return new ScalingHistory(recommendations, earlier.lastScaleOut());
  }
}
