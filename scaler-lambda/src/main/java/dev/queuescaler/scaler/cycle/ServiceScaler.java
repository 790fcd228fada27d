package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.ServiceSnapshot;

/** Reads and sets a service's task count (ECS, or a local fleet of workers). */
public interface ServiceScaler {

  /**
   * @throws RuntimeException with a message that names the service when it cannot be described
   */
  ServiceSnapshot describe(ServiceRef service);

  /**
   * Sets the absolute desired count, so that a repeated call is harmless.
   *
   * @throws RuntimeException when the count could not be set (after the client's retries)
   */
  void setDesiredCount(ServiceRef service, int desiredCount);
}
