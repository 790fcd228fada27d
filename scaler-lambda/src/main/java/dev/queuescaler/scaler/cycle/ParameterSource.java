package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where the targets' tunables come from (SSM Parameter Store, or a local properties file). */
public interface ParameterSource {

  /**
   * The parameters a cycle runs on.
   *
   * @param values every parameter under the prefix, by name relative to it
   * @param unread each target whose latest change could not be read, with why: its values are the
   *     ones read before, and the change is read again on the next cycle
   * @param problems what went wrong for no one target (a read that stopped, a store that failed):
   *     the cycle runs on what is known and reports each as a failure
   */
  record Reading(
      Map<String, String> values, Map<TargetName, String> unread, List<String> problems) {
    public Reading {
      values = Map.copyOf(Objects.requireNonNull(values, "values"));
      unread = Map.copyOf(Objects.requireNonNull(unread, "unread"));
      problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    }

    public Reading(Map<String, String> values, Map<TargetName, String> unread) {
      this(values, unread, List.of());
    }
  }

  /**
   * Every parameter under the prefix, by name relative to it ({@code orders/max-tasks}), read anew
   * on each call so that a change takes effect on the next cycle.
   *
   * @throws RuntimeException when the parameters cannot be read
   */
  Map<String, String> readAll();

  /**
   * What a cycle runs on: {@link #readAll}, and the targets whose latest change could not be read.
   * This default reads everything anew, so nothing is ever left unread.
   *
   * @throws RuntimeException when the parameters cannot be read at all
   */
  default Reading read() {
    return new Reading(readAll(), Map.of());
  }

  /**
   * What a cycle runs on, reading only while the clock is before {@code until}: a source that reads
   * a slice at a time stops there and goes on next cycle. This default ignores the bound.
   */
  default Reading read(Instant until) {
    return read();
  }

  /**
   * As {@link #read(Instant)}, changing nothing stored: what a dry run runs on. This default is
   * {@link #read(Instant)}, right for a source that keeps nothing; one that keeps what it reads
   * (the read model in the state table) overrides it.
   */
  default Reading readOnly(Instant until) {
    return read(until);
  }

  /**
   * One target's parameters, named as {@link #readAll} names them. This default reads everything
   * and keeps the target's; Parameter Store reads the target's own path.
   *
   * @throws RuntimeException when the parameters cannot be read
   */
  default Map<String, String> readTarget(TargetName target) {
    Map<String, String> mine = new LinkedHashMap<>();
    readAll()
        .forEach(
            (name, value) -> {
              if (name.startsWith(target.value() + "/")) {
                mine.put(name, value);
              }
            });
    return mine;
  }

  /** Where the parameters live, for messages ({@code /queue-scaler}). */
  String describe();
}
