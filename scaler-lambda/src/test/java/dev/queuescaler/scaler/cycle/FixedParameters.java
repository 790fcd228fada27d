package dev.queuescaler.scaler.cycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameters that never change, in the order given: a cycle's targets without Parameter Store. */
final class FixedParameters implements ParameterSource {

  private final Map<String, String> keys;

  private FixedParameters(Map<String, String> keys) {
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** These keys, named relative to the prefix ({@code orders/max-tasks}). */
  static FixedParameters of(Map<String, String> keys) {
    return new FixedParameters(keys);
  }

  /** Adds a target's three required keys: its own queue, the cluster workers and its service. */
  static void putTarget(Map<String, String> keys, String name) {
    keys.put(name + "/queue-url", "https://sqs.local/0/" + name);
    keys.put(name + "/cluster", "workers");
    keys.put(name + "/service", name + "-svc");
  }

  @Override
  public Map<String, String> readAll() {
    return keys;
  }

  @Override
  public String describe() {
    return "/queue-scaler";
  }
}
