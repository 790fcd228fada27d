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

  /**
   * One target on the backlog-per-task formula at {@code perTask} messages a task, sampled every
   * {@code sampleSeconds}: its keys, for a test to add more before {@link #of}.
   */
  static Map<String, String> backlogPerTask(String name, int perTask, int sampleSeconds) {
    Map<String, String> keys = new LinkedHashMap<>();
    putTarget(keys, name);
    keys.put(name + "/backlog-per-task", Integer.toString(perTask));
    keys.put(name + "/policy", "backlog-per-task");
    keys.put(name + "/sample-interval-seconds", Integer.toString(sampleSeconds));
    return keys;
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
