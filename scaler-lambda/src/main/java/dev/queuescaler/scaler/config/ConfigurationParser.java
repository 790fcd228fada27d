package dev.queuescaler.scaler.config;

import dev.queuescaler.scaler.policy.LoadTerm;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns the parameters found under the prefix into target configurations.
 *
 * <p>Input names are relative to the prefix ({@code orders/max-tasks}). A value that does not parse
 * or is out of range is replaced by its default and reported, so the policy never sees it.
 */
public final class ConfigurationParser {

  private ConfigurationParser() {}

  public static Configuration parse(Map<String, String> parametersByRelativeName) {
    List<String> warnings = new ArrayList<>();
    Map<String, Map<String, String>> byTarget = new TreeMap<>();
    for (Map.Entry<String, String> parameter : new TreeMap<>(parametersByRelativeName).entrySet()) {
      String[] parts = parameter.getKey().split("/", -1);
      if (parts.length != 2) {
        warnings.add(
            "ignoring parameter \""
                + parameter.getKey()
                + "\": expected <target>/<key> under the prefix");
        continue;
      }
      if (!TargetName.isValid(parts[0])) {
        warnings.add(
            "ignoring parameter \""
                + parameter.getKey()
                + "\": target names must match [A-Za-z0-9._-]{1,64}");
        continue;
      }
      byTarget.computeIfAbsent(parts[0], t -> new TreeMap<>()).put(parts[1], parameter.getValue());
    }

    List<TargetConfig> targets = new ArrayList<>();
    List<SkippedTarget> skipped = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> target : byTarget.entrySet()) {
      TargetName name = new TargetName(target.getKey());
      Map<ParameterKey, String> known = new EnumMap<>(ParameterKey.class);
      for (Map.Entry<String, String> entry : target.getValue().entrySet()) {
        Optional<ParameterKey> key = ParameterKey.byKey(entry.getKey());
        if (key.isPresent()) {
          known.put(key.get(), entry.getValue());
        } else {
          warnings.add(name + ": unknown key \"" + entry.getKey() + "\" ignored");
        }
      }
      TargetParser parsed = new TargetParser(known);
      List<String> missing = parsed.missingRequired();
      if (!missing.isEmpty()) {
        skipped.add(new SkippedTarget(name, missing));
      } else {
        targets.add(parsed.toConfig(name));
      }
    }
    return new Configuration(targets, skipped, warnings);
  }

  /** Parses one target's values, collecting every problem instead of stopping at the first. */
  private static final class TargetParser {
    private final Map<ParameterKey, String> values;
    private final List<String> problems = new ArrayList<>();

    TargetParser(Map<ParameterKey, String> values) {
      this.values = values;
    }

    List<String> missingRequired() {
      List<String> missing = new ArrayList<>();
      for (ParameterKey key : ParameterKey.values()) {
        if (!key.isRequired()) {
          continue;
        }
        String value = values.getOrDefault(key, "").trim();
        if (value.isEmpty()) {
          missing.add(key.key() + " is required but missing");
        } else if (key == ParameterKey.QUEUE_URL && !looksLikeQueueUrl(value)) {
          missing.add(key.key() + ": \"" + value + "\" is not an SQS queue URL");
        }
      }
      return missing;
    }

    TargetConfig toConfig(TargetName name) {
      int taskConcurrency = integer(ParameterKey.TASK_CONCURRENCY);
      int utilization = integer(ParameterKey.TARGET_UTILIZATION_PERCENT);
      ScalingFormula formula = formula(ParameterKey.defaultFormula(taskConcurrency));
      if (formula == ScalingFormula.BACKLOG_AND_LOAD && taskConcurrency == 0) {
        // Only a policy chosen explicitly gets here (the default already falls back): guessing
        // the worker's concurrency would size the fleet on a made-up number, and the backlog
        // formula needs no such fact, so the target keeps scaling on it.
        problems.add(
            "policy backlog-and-load needs task-concurrency (the worker's messages at a time);"
                + " using backlog-per-task");
        formula = ScalingFormula.BACKLOG_PER_TASK;
      }
      int minTasks = integer(ParameterKey.MIN_TASKS);
      int maxTasks = integer(ParameterKey.MAX_TASKS);
      Optional<ScalingParameters> parameters = Optional.empty();
      int backlogPerTask = integer(ParameterKey.BACKLOG_PER_TASK);
      int activation = integer(ParameterKey.ACTIVATION_BACKLOG);
      boolean inFlight = bool(ParameterKey.COUNT_IN_FLIGHT);
      boolean delayed = bool(ParameterKey.COUNT_DELAYED);
      int cooldown = integer(ParameterKey.SCALE_OUT_COOLDOWN_SECONDS);
      int stabilization = integer(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, formula);
      int toZero = integer(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS);
      int outStep = integer(ParameterKey.MAX_SCALE_OUT_STEP);
      int inStep = integer(ParameterKey.MAX_SCALE_IN_STEP);
      int tolerance = integer(ParameterKey.SCALE_TOLERANCE_PERCENT, formula);
      if (minTasks > maxTasks) {
        problems.add(
            "min-tasks "
                + minTasks
                + " is above max-tasks "
                + maxTasks
                + "; holding the current count");
      } else {
        ScalingParameters backlogOnly =
            new ScalingParameters(
                    minTasks,
                    maxTasks,
                    backlogPerTask,
                    activation,
                    inFlight,
                    delayed,
                    Duration.ofSeconds(cooldown),
                    Duration.ofSeconds(stabilization),
                    outStep,
                    inStep,
                    tolerance)
                .withScaleToZeroDelay(Duration.ofSeconds(toZero));
        parameters =
            Optional.of(
                formula == ScalingFormula.BACKLOG_AND_LOAD
                    ? backlogOnly.withLoad(new LoadTerm(taskConcurrency, utilization))
                    : backlogOnly);
      }
      // The safety switches fail closed: an unreadable value never lets the scaler act.
      Optional<Boolean> enabled = safetySwitch(ParameterKey.ENABLED);
      Optional<Boolean> dryRun = safetySwitch(ParameterKey.DRY_RUN);
      boolean readable = enabled.isPresent() && dryRun.isPresent();
      return new TargetConfig(
          name,
          text(ParameterKey.QUEUE_URL),
          text(ParameterKey.CLUSTER),
          text(ParameterKey.SERVICE),
          readable && enabled.get(),
          !readable || dryRun.get(),
          readable,
          parameters,
          new SamplingPlan(Duration.ofSeconds(integer(ParameterKey.SAMPLE_INTERVAL_SECONDS))),
          problems);
    }

    private String text(ParameterKey key) {
      return values.get(key).trim();
    }

    private int integer(ParameterKey key) {
      return integer(key, key.defaultValue());
    }

    private int integer(ParameterKey key, ScalingFormula formula) {
      return integer(key, key.defaultValue(formula));
    }

    private int integer(ParameterKey key, String defaultValue) {
      int fallback = Integer.parseInt(defaultValue);
      String raw = values.get(key);
      if (raw == null) {
        return fallback;
      }
      int value;
      try {
        value = Integer.parseInt(raw.trim());
      } catch (NumberFormatException notAnInteger) {
        problems.add(key.key() + ": \"" + raw + "\" is not an integer; using " + fallback);
        return fallback;
      }
      if (value < key.minimum() || value > key.maximum()) {
        problems.add(
            key.key() + ": " + value + " is out of range (" + key.valid() + "); using " + fallback);
        return fallback;
      }
      return value;
    }

    private ScalingFormula formula(ScalingFormula fallback) {
      ParameterKey key = ParameterKey.POLICY;
      String raw = values.get(key);
      if (raw == null) {
        return fallback;
      }
      return ScalingFormula.byKey(raw.trim())
          .orElseGet(
              () -> {
                problems.add(
                    key.key()
                        + ": \""
                        + raw
                        + "\" is not one of "
                        + key.valid()
                        + "; using "
                        + fallback.key());
                return fallback;
              });
    }

    private boolean bool(ParameterKey key) {
      boolean fallback = Boolean.parseBoolean(key.defaultValue());
      return parseBoolean(key)
          .orElseGet(
              () -> {
                problems.add(
                    key.key()
                        + ": \""
                        + values.get(key)
                        + "\" is not true or false; using "
                        + fallback);
                return fallback;
              });
    }

    /** A safety switch: its value, or empty (reported) when it is neither true nor false. */
    private Optional<Boolean> safetySwitch(ParameterKey key) {
      Optional<Boolean> value = parseBoolean(key);
      if (value.isEmpty()) {
        problems.add(
            key.key()
                + ": \""
                + values.get(key)
                + "\" is not true or false; failing closed: nothing is changed until it is fixed");
      }
      return value;
    }

    /** The value of a boolean key (its default when absent), or empty when unreadable. */
    private Optional<Boolean> parseBoolean(ParameterKey key) {
      String raw = values.get(key);
      if (raw == null) {
        return Optional.of(Boolean.parseBoolean(key.defaultValue()));
      }
      return switch (raw.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> Optional.of(true);
        case "false" -> Optional.of(false);
        default -> Optional.empty();
      };
    }

    private static boolean looksLikeQueueUrl(String value) {
      return (value.startsWith("https://") || value.startsWith("http://"))
          && value.indexOf('/', value.indexOf("//") + 2) > 0;
    }
  }
}
