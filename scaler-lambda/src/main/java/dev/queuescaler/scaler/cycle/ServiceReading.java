package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.util.Objects;
import java.util.Optional;

/**
 * One service's counts from a batched read, or why that service could not be read: a batch's
 * per-entry failure belongs to its target alone.
 */
public record ServiceReading(
    Optional<ServiceSnapshot> snapshot, Optional<RuntimeException> failure) {

  public ServiceReading {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(failure, "failure");
    if (snapshot.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("a reading is either a snapshot or a failure");
    }
  }

  public static ServiceReading of(ServiceSnapshot snapshot) {
    return new ServiceReading(Optional.of(snapshot), Optional.empty());
  }

  public static ServiceReading failed(RuntimeException failure) {
    return new ServiceReading(Optional.empty(), Optional.of(failure));
  }

  /** The snapshot, or the failure thrown. */
  public ServiceSnapshot get() {
    return snapshot.orElseThrow(failure::orElseThrow);
  }
}
