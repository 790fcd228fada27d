package dev.queuescaler.scaler.cycle;

import java.util.Objects;

/** An ECS service within its cluster (names or ARNs, as the target's parameters give them). */
public record ServiceRef(String cluster, String service) {

  public ServiceRef {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(service, "service");
  }

  @Override
  public String toString() {
    return cluster + "/" + service;
  }
}
