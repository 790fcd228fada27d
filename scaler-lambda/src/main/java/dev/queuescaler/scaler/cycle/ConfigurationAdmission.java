package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.Configuration;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.ParsedTarget;
import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.config.TargetName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the configuration each target runs on, as an admission check decides which change of an
 * object is accepted:
 *
 * <ul>
 *   <li>values that validate are in force, and are stored as the target's last valid configuration
 *       (written only when they differ from what is stored);
 *   <li>values that do not validate are reported and not applied: the last valid configuration
 *       stays in force, except that a safety switch that stops the target ({@code enabled} false,
 *       {@code dry-run} true, or either unreadable) applies anyway, since the operator evidently
 *       meant to flip it;
 *   <li>a target that never had a valid configuration holds;
 * </ul>
 *
 * <p>It remembers what the store holds as far as this container knows (read or written here): a
 * target it does not know is read from the store, so a new container reads each target once. One
 * per container, like the cycle that holds it.
 */
final class ConfigurationAdmission {

  /**
   * What a cycle runs.
   *
   * @param targets the targets with a configuration in force, by name, each with the problems to
   *     report on its line
   * @param held the targets without one: they hold (CONFIG_INVALID) and say why
   */
  record Admitted(List<TargetConfig> targets, List<Held> held) {
    Admitted {
      targets = List.copyOf(targets);
      held = List.copyOf(held);
    }
  }

  /** A target without a configuration in force, and why. */
  record Held(TargetName name, List<String> problems) {
    Held {
      Objects.requireNonNull(name, "name");
      problems = List.copyOf(problems);
    }
  }

  private final ValidConfigurations store;
  private final OperatorLog log;
  private final Map<TargetName, ValidConfigurations.Stored> known = new HashMap<>();

  ConfigurationAdmission(ValidConfigurations store, OperatorLog log) {
    this.store = Objects.requireNonNull(store, "store");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * The configurations in force for every target found under the prefix.
   *
   * @param now when the values were read: the time stored with a new valid configuration
   * @param stores whether this cycle keeps what it found (a live cycle; a forced dry run stores
   *     nothing)
   */
  synchronized Admitted admit(Configuration configuration, Instant now, boolean stores) {
    Optional<String> unreadable = loadUnknown(configuration.parsed());
    Map<TargetName, Candidate> candidates = new LinkedHashMap<>();
    for (ParsedTarget target : configuration.parsed()) {
      candidates.put(target.name(), candidate(target, unreadable));
    }
    if (stores) {
      storeChanges(candidates.values(), now);
      forgetGone(candidates.keySet());
    }
    List<TargetConfig> targets = new ArrayList<>();
    List<Held> held = new ArrayList<>();
    for (Candidate candidate : candidates.values()) {
      if (candidate.inForce.isPresent()) {
        targets.add(candidate.inForce.get().withProblems(candidate.problems));
      } else {
        held.add(new Held(candidate.name(), candidate.problems));
      }
    }
    return new Admitted(targets, held);
  }

  /** Reads the stored configurations this container does not know; why not, when it cannot. */
  private Optional<String> loadUnknown(List<ParsedTarget> targets) {
    List<TargetName> unknown =
        targets.stream().map(ParsedTarget::name).filter(name -> !known.containsKey(name)).toList();
    if (unknown.isEmpty()) {
      return Optional.empty();
    }
    try {
      known.putAll(store.load(unknown));
      return Optional.empty();
    } catch (RuntimeException e) {
      String why = TargetCycle.describe(e);
      log.warn("last valid configurations unreadable: " + why);
      return Optional.of(why);
    }
  }

  private Candidate candidate(ParsedTarget target, Optional<String> unreadable) {
    Optional<ValidConfigurations.Stored> stored = Optional.ofNullable(known.get(target.name()));
    Optional<ParsedTarget> lastValid =
        stored.map(s -> ConfigurationParser.parseTarget(target.name(), s.values()));
    String whenRejected;
    if (lastValid.filter(ParsedTarget::valid).isPresent()) {
      whenRejected =
          "change not applied: the last valid configuration (stored "
              + stored.get().storedAt()
              + ") stays in force";
    } else if (lastValid.isPresent()) {
      // Stored by a version with other ranges, say: never scale on what does not validate.
      whenRejected =
          "change not applied, and the last valid configuration (stored "
              + stored.get().storedAt()
              + ") no longer validates ("
              + String.join("; ", lastValid.get().allProblems())
              + "): the target holds until it is fixed";
    } else if (unreadable.isPresent()) {
      whenRejected =
          "change not applied, and the last valid configuration could not be read ("
              + unreadable.get()
              + "): the target holds";
    } else {
      whenRejected = "no valid configuration yet: the target holds until it is fixed";
    }
    return new Candidate(target, lastValid.flatMap(ParsedTarget::config), whenRejected);
  }

  /** Stores each configuration in force from new values that differ from the stored ones. */
  private void storeChanges(Collection<Candidate> candidates, Instant now) {
    for (Candidate candidate : candidates) {
      if (!candidate.changed || candidate.inForce.isEmpty()) {
        continue;
      }
      Map<String, String> values = candidate.parsed.values();
      ValidConfigurations.Stored stored = known.get(candidate.name());
      if (stored != null && stored.values().equals(values)) {
        continue;
      }
      ValidConfigurations.Stored next = new ValidConfigurations.Stored(values, now);
      try {
        store.save(candidate.name(), next);
        known.put(candidate.name(), next);
      } catch (RuntimeException e) {
        // Not remembered as stored, so the next cycle writes it again.
        log.warn(
            candidate.name()
                + ": its valid configuration is not stored, tried again next cycle: "
                + TargetCycle.describe(e));
      }
    }
  }

  /**
   * Forgets the targets whose parameters are all gone: a target of that name created later must not
   * inherit a configuration (a queue, a service) from one that was deleted.
   */
  private void forgetGone(Set<TargetName> present) {
    Set<TargetName> gone = new HashSet<>(known.keySet());
    gone.removeAll(present);
    for (TargetName target : gone) {
      try {
        store.forget(target);
        known.remove(target);
      } catch (RuntimeException e) {
        log.warn(
            target
                + ": its parameters are gone but its last valid configuration is not forgotten,"
                + " tried again next cycle: "
                + TargetCycle.describe(e));
      }
    }
  }

  /** A target's configuration while it is being decided. */
  private static final class Candidate {
    private final ParsedTarget parsed;
    private final Optional<TargetConfig> lastValid;
    private final String whenRejected;
    private final List<String> problems = new ArrayList<>();
    private Optional<TargetConfig> inForce;

    /** Whether the configuration in force is the one the values found now make. */
    private boolean changed;

    Candidate(ParsedTarget parsed, Optional<TargetConfig> lastValid, String whenRejected) {
      this.parsed = parsed;
      this.lastValid = lastValid;
      this.whenRejected = whenRejected;
      if (parsed.valid()) {
        inForce = parsed.config();
        changed = true;
      } else {
        reject(parsed.problems());
        problems.addAll(parsed.switchProblems());
      }
    }

    TargetName name() {
      return parsed.name();
    }

    /** The values found now are not applied, for these reasons. */
    void reject(List<String> reasons) {
      reasons.forEach(reason -> problems.add(reason + "; " + whenRejected));
      changed = false;
      inForce = lastValid.map(this::stoppedBySwitches);
    }

    /**
     * The last valid configuration with the switches found now where they stop the target: a kill
     * switch works whatever else is wrong, but a rejected change never starts a stopped target.
     */
    private TargetConfig stoppedBySwitches(TargetConfig last) {
      boolean readable = parsed.enabled().isPresent() && parsed.dryRun().isPresent();
      return new TargetConfig(
          last.name(),
          last.queueUrl(),
          last.cluster(),
          last.service(),
          readable && last.enabled() && parsed.enabled().get(),
          !readable || last.dryRun() || parsed.dryRun().get(),
          readable,
          last.parameters(),
          last.sampling(),
          last.problems());
    }
  }
}
