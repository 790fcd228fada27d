package dev.queuescaler.scaler.config;

import java.util.List;
import java.util.Optional;

/**
 * Every target found under the prefix.
 *
 * @param targets targets that can run, sorted by name
 * @param skipped targets missing a required key, sorted by name
 * @param warnings unknown keys and names outside the layout; reported, never fatal
 */
public record Configuration(
    List<TargetConfig> targets, List<SkippedTarget> skipped, List<String> warnings) {

  public Configuration {
    targets = List.copyOf(targets);
    skipped = List.copyOf(skipped);
    warnings = List.copyOf(warnings);
  }

  /** This configuration narrowed to one target, if it exists (runnable or skipped). */
  public Optional<Configuration> only(TargetName name) {
    List<TargetConfig> target = targets.stream().filter(t -> t.name().equals(name)).toList();
    List<SkippedTarget> skip = skipped.stream().filter(t -> t.name().equals(name)).toList();
    if (target.isEmpty() && skip.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Configuration(target, skip, warnings));
  }
}
