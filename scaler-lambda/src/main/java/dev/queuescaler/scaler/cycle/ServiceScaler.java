package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and sets a service's task count (ECS, or a local fleet of workers). */
public interface ServiceScaler {

  /**
   * The most services of one cluster the cycle gives one {@link #describeAll} call: what ECS's
   * DescribeServices reads in one request.
   */
  int SERVICES_PER_READ = 10;

  /**
   * @throws RuntimeException with a message that names the service when it cannot be described
   */
  ServiceSnapshot describe(ServiceRef service);

  /**
   * Reads many services at once; each entry's failure stays that entry's. This default reads them
   * one by one; ECS reads up to ten services of a cluster in one call.
   */
  default Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> services) {
    Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
    for (ServiceRef service : services) {
      try {
        readings.put(service, ServiceReading.of(describe(service)));
      } catch (RuntimeException e) {
        readings.put(service, ServiceReading.failed(e));
      }
    }
    return readings;
  }

  /**
   * Sets the absolute desired count, so that a repeated call is harmless.
   *
   * @throws RuntimeException when the count could not be set (after the client's retries)
   */
  void setDesiredCount(ServiceRef service, int desiredCount);
}
