package dev.queuescaler.scaler.config;

import java.util.List;
import java.util.Objects;

/** A target that cannot be run because a required key is missing or unusable. */
public record SkippedTarget(TargetName name, List<String> problems) {

  public SkippedTarget {
    Objects.requireNonNull(name, "name");
    problems = List.copyOf(problems);
  }
}
