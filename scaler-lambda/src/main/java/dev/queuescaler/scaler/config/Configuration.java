package dev.queuescaler.scaler.config;

import java.util.List;
import java.util.Optional;

/**
 * Every target found under the prefix.
 *
 * @param parsed every target, valid or not, sorted by name
 * @param warnings names outside the layout ({@code <target>/<key>}); reported, never fatal, since
 *     they belong to no target
 */
public record Configuration(List<ParsedTarget> parsed, List<String> warnings) {

  public Configuration {
    parsed = List.copyOf(parsed);
    warnings = List.copyOf(warnings);
  }

  /** The configurations of the targets whose values all validate, sorted by name. */
  public List<TargetConfig> targets() {
    return parsed.stream().flatMap(target -> target.config().stream()).toList();
  }

  /** The targets whose values do not validate, sorted by name. */
  public List<ParsedTarget> rejected() {
    return parsed.stream().filter(target -> !target.valid()).toList();
  }

  /** One target, if it has any key under the prefix. */
  public Optional<ParsedTarget> target(TargetName name) {
    return parsed.stream().filter(target -> target.name().equals(name)).findFirst();
  }
}
