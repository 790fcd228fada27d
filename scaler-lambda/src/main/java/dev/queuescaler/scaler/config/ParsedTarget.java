package dev.queuescaler.scaler.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One target's values under the prefix, and what validating them gave: a configuration when every
 * value validates, else the problems. Like an object an admission check rejects, a target whose
 * values do not validate gets no configuration from them at all, never one with defaults in place
 * of the bad values.
 *
 * @param name the target
 * @param values its keys as found, by key name ({@code max-tasks}), unknown ones included
 * @param config the configuration, present exactly when there is no problem
 * @param problems why the values do not validate, the safety switches' aside
 * @param switchProblems an {@code enabled} or {@code dry-run} value that is neither true nor false
 * @param enabled what {@code enabled} says (true when absent), empty when unreadable
 * @param dryRun what {@code dry-run} says (false when absent), empty when unreadable
 */
public record ParsedTarget(
    TargetName name,
    Map<String, String> values,
    Optional<TargetConfig> config,
    List<String> problems,
    List<String> switchProblems,
    Optional<Boolean> enabled,
    Optional<Boolean> dryRun) {

  public ParsedTarget {
    Objects.requireNonNull(name, "name");
    values = Map.copyOf(values);
    Objects.requireNonNull(config, "config");
    problems = List.copyOf(problems);
    switchProblems = List.copyOf(switchProblems);
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(dryRun, "dryRun");
    if (config.isPresent() != (problems.isEmpty() && switchProblems.isEmpty())) {
      throw new IllegalArgumentException(
          name + ": a configuration exists exactly when nothing is wrong with the values");
    }
    if (switchProblems.isEmpty() != (enabled.isPresent() && dryRun.isPresent())) {
      throw new IllegalArgumentException(name + ": a switch is unreadable exactly when reported");
    }
  }

  /** Whether every value validates. */
  public boolean valid() {
    return config.isPresent();
  }

  /** Every problem, the switches' last. */
  public List<String> allProblems() {
    List<String> all = new ArrayList<>(problems);
    all.addAll(switchProblems);
    return all;
  }
}
