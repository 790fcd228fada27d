package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Pauses;
import dev.queuescaler.scaler.policy.Recommendation;
import dev.queuescaler.scaler.policy.ScalingHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A target's remembered history with the version it was stored under (0: nothing stored yet), and
 * the last count a cycle set ({@link LastAction}), kept until a later action replaces it.
 */
public record StoredState(long version, ScalingHistory history, Optional<LastAction> lastAction) {

  public static final StoredState NONE = new StoredState(0, ScalingHistory.EMPTY, Optional.empty());

  public StoredState {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(lastAction, "lastAction");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0 but was " + version);
    }
  }

  /** The newest time this state records, by its writer's clock. */
  public Optional<Instant> newestTime() {
    return Stream.concat(
            Stream.of(
                    history.recommendations().stream().map(Recommendation::at),
                    history.lastScaleOut().stream(),
                    history.burstStarts().stream(),
                    history.pauses().quietSince().stream())
                .flatMap(times -> times),
            lastAction.map(LastAction::at).stream())
        .max(Instant::compareTo);
  }

  /**
   * How far this state's newest time is ahead of {@code now}: a writer whose clock is fast (a
   * laptop running the CLI) leaves times in this cycle's future.
   */
  public Duration aheadOf(Instant now) {
    return newestTime()
        .filter(newest -> newest.isAfter(now))
        .map(newest -> Duration.between(now, newest))
        .orElse(Duration.ZERO);
  }

  /**
   * This state as a cycle whose clock reads {@code now} must see it: every time after {@code now}
   * is read as just before {@code now}, and an action's settling time is kept at most {@code
   * settleWindow} ahead. A skewed writer then moves windows by its skew at most once, and never
   * holds a target for longer than a correct clock would.
   */
  public StoredState seenAt(Instant now, Duration settleWindow) {
    if (aheadOf(now).isZero()
        && lastAction.filter(a -> a.settledBy().isAfter(now.plus(settleWindow))).isEmpty()) {
      return this;
    }
    Instant justBefore = now.minusMillis(1);
    ScalingHistory clamped =
        new ScalingHistory(
            history.recommendations().stream()
                .map(r -> r.at().isAfter(justBefore) ? r.movedTo(justBefore) : r)
                .toList(),
            history.lastScaleOut().map(at -> at.isAfter(justBefore) ? justBefore : at),
            history.burstStarts().stream()
                .map(at -> at.isAfter(justBefore) ? justBefore : at)
                .distinct()
                .toList(),
            new Pauses(
                history.pauses().quietSince().map(at -> at.isAfter(justBefore) ? justBefore : at),
                history.pauses().recent()));
    Optional<LastAction> action =
        lastAction.map(
            a -> {
              Instant at = a.at().isAfter(justBefore) ? justBefore : a.at();
              Instant latest = now.plus(settleWindow);
              Instant settledBy = a.settledBy().isAfter(latest) ? latest : a.settledBy();
              return a.withTimes(at, settledBy.isBefore(at) ? at : settledBy);
            });
    return new StoredState(version, clamped, action);
  }
}
