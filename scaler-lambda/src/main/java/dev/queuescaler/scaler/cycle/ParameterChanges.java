package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Optional;

/**
 * When a parameter under the prefix last changed, as Parameter Store's change events record it:
 * shared by every container of the function, so a change seen by one is seen by all.
 */
public interface ParameterChanges {

  /**
   * The latest change recorded, or empty when none ever was.
   *
   * @throws RuntimeException when it cannot be read
   */
  Optional<Instant> lastChange();

  /** Records a change seen at {@code at}; an older record never replaces a newer one. */
  void recordChange(Instant at);
}
