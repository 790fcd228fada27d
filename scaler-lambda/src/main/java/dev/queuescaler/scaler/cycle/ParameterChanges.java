package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When parameters under the prefix last changed, as Parameter Store's change events record them:
 * shared by every container of the function, so a change seen by one is seen by all.
 */
public interface ParameterChanges {

  /**
   * The changes recorded.
   *
   * @param wholePrefix the latest change that named no one target (the whole prefix is read again)
   * @param byTarget each target's latest change (only its path is read again)
   */
  record Recorded(Optional<Instant> wholePrefix, Map<TargetName, Instant> byTarget) {
    public static final Recorded NONE = new Recorded(Optional.empty(), Map.of());

    public Recorded {
      Objects.requireNonNull(wholePrefix, "wholePrefix");
      byTarget = Map.copyOf(byTarget);
    }
  }

  /**
   * What is recorded now.
   *
   * @throws RuntimeException when it cannot be read
   */
  Recorded recorded();

  /**
   * Records a change seen at {@code at} of {@code target}'s parameters, or, when empty, of the
   * prefix as a whole; an older record never replaces a newer one.
   */
  void recordChange(Instant at, Optional<TargetName> target);
}
