package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.Configuration;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.EcsNames;
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
 *   <li>no two targets act on one service: the one whose last valid configuration acts on it keeps
 *       it, and the others' change is rejected; when none of them (or more than one) had it, none
 *       acts. A target that never acts (disabled, or in dry run) undoes nothing, so it may name a
 *       service another target scales: a trial beside the live target.
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
    settleSharedServices(candidates.values());
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

  /**
   * Reads the stored configurations this container may not know as they are: a target it has not
   * seen, and every target whose last valid configuration is about to matter (its values do not
   * validate, or its service is named by another target), since another container or the CLI may
   * have stored a newer one since. A warm container's steady cycle reads nothing. Why not, when the
   * read fails.
   */
  private Optional<String> loadUnknown(List<ParsedTarget> targets) {
    Map<ServiceKey, Integer> naming = new HashMap<>();
    for (ParsedTarget target : targets) {
      target.config().map(ServiceKey::of).ifPresent(key -> naming.merge(key, 1, Integer::sum));
    }
    List<TargetName> unknown =
        targets.stream()
            .filter(
                target ->
                    !known.containsKey(target.name())
                        || !target.valid()
                        || target.config().map(ServiceKey::of).map(naming::get).orElse(0) > 1)
            .map(ParsedTarget::name)
            .toList();
    if (unknown.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<TargetName, ValidConfigurations.Stored> stored = store.load(unknown);
      unknown.forEach(
          name -> {
            if (stored.containsKey(name)) {
              known.put(name, stored.get(name));
            }
          });
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

  /**
   * Settles every service that more than one target in force would act on, until none is: a
   * rejected change brings back a last valid configuration, which may name a service another target
   * now names. Each round turns at least one target from its new configuration to its last valid
   * one or from that to none, so it ends.
   */
  private static void settleSharedServices(Collection<Candidate> candidates) {
    while (true) {
      Map<ServiceKey, List<Candidate>> byService = new LinkedHashMap<>();
      for (Candidate candidate : candidates) {
        candidate
            .inForce
            .filter(ConfigurationAdmission::acts)
            .ifPresent(
                config ->
                    byService
                        .computeIfAbsent(ServiceKey.of(config), k -> new ArrayList<>())
                        .add(candidate));
      }
      Optional<Map.Entry<ServiceKey, List<Candidate>>> shared =
          byService.entrySet().stream().filter(e -> e.getValue().size() > 1).findFirst();
      if (shared.isEmpty()) {
        return;
      }
      settle(shared.get().getKey(), shared.get().getValue());
    }
  }

  /** Whether a configuration can change a service's count at all. */
  private static boolean acts(TargetConfig config) {
    return config.switchesReadable() && config.enabled() && !config.dryRun();
  }

  /** Like a second ScaledObject for one workload: the one that had it first keeps it. */
  private static void settle(ServiceKey service, List<Candidate> sharing) {
    List<Candidate> holders =
        sharing.stream()
            .filter(
                c ->
                    c.lastValid
                        .filter(ConfigurationAdmission::acts)
                        .map(ServiceKey::of)
                        .filter(service::equals)
                        .isPresent())
            .toList();
    if (holders.size() == 1) {
      Candidate holder = holders.get(0);
      List<Candidate> others = sharing.stream().filter(c -> c != holder).toList();
      for (Candidate other : others) {
        // Not a holder, so it acts on the service in its new values only: rejecting them brings
        // back its last valid configuration (another service, or one that does not act), or none.
        other.reject(
            List.of(
                "service "
                    + service
                    + " is already scaled by target "
                    + holder.name()
                    + ", whose last valid configuration acts on it"));
      }
      holder.problems.add(
          "service "
              + service
              + " is also named by "
              + targets(others)
              + ": not applied there; this target keeps scaling it");
      return;
    }
    String why =
        holders.isEmpty()
            ? "and none of their last valid configurations acts on it"
            : "and more than one of their last valid configurations acts on it";
    for (Candidate candidate : sharing) {
      List<Candidate> others = sharing.stream().filter(c -> c != candidate).toList();
      candidate.hold(
          "service "
              + service
              + " is also named by "
              + targets(others)
              + ", "
              + why
              + ": none of them acts until only one names it");
    }
  }

  private static String targets(List<Candidate> candidates) {
    List<String> names = candidates.stream().map(c -> c.name().value()).toList();
    return (names.size() == 1 ? "target " : "targets ") + String.join(", ", names);
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

    /** No configuration is in force, for this reason. */
    void hold(String reason) {
      problems.add(reason);
      changed = false;
      inForce = Optional.empty();
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
          last.idleChecks(),
          last.problems());
    }
  }

  /**
   * An ECS service as a comparison key: a cluster or a service may be given by name or by ARN
   * ({@code arn:aws:ecs:...:cluster/workers}, {@code arn:aws:ecs:...:service/workers/orders}, or
   * the older {@code ...:service/orders}), and the last path segment is the name in each.
   */
  record ServiceKey(String cluster, String service) {

    static ServiceKey of(TargetConfig config) {
      return new ServiceKey(EcsNames.nameOf(config.cluster()), EcsNames.nameOf(config.service()));
    }

    @Override
    public String toString() {
      return cluster + "/" + service;
    }
  }
}
