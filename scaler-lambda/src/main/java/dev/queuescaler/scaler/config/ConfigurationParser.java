package dev.queuescaler.scaler.config;

import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.LoadTerm;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns the parameters found under the prefix into validated target configurations.
 *
 * <p>Input names are relative to the prefix ({@code orders/max-tasks}). A target's values validate
 * as a whole or not at all: a value that does not parse or is out of range, an unknown key, a
 * missing required key, min-tasks above max-tasks, each is a problem, and a target with any problem
 * gets no configuration from these values (the cycle keeps its last valid one in force). An absent
 * key takes its default; a present but bad one never does, since the default may be far from what
 * the operator meant ({@code max-tasks = "1,000"} is not 10).
 */
public final class ConfigurationParser {

  /** What ECS allows in a cluster's or a service's name. */
  private static final String ECS_NAME = "[A-Za-z0-9_-]{1,255}";

  private static final String ECS_ARN = "arn:aws(-[a-z]+)*:ecs:[a-z0-9-]+:[0-9]{12}:";

  /**
   * A name or an ARN, what ECS's calls take. A value no cluster can have would replace the last
   * valid configuration with one whose every read fails: it is rejected like a bad number.
   */
  private static final Pattern ECS_CLUSTER =
      Pattern.compile(ECS_NAME + "|" + ECS_ARN + "cluster/" + ECS_NAME);

  /** A name, or an ARN in ECS's format ({@code service/<cluster>/<name>}) or the older one. */
  private static final Pattern ECS_SERVICE =
      Pattern.compile(ECS_NAME + "|" + ECS_ARN + "service/(" + ECS_NAME + "/)?" + ECS_NAME);

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

    List<ParsedTarget> parsed = new ArrayList<>();
    byTarget.forEach((name, values) -> parsed.add(parseTarget(new TargetName(name), values)));
    return new Configuration(parsed, warnings);
  }

  /**
   * Validates one target's values, by key name ({@code max-tasks}): as found under the prefix, or
   * as stored when they last validated.
   */
  public static ParsedTarget parseTarget(TargetName name, Map<String, String> valuesByKey) {
    return new TargetParser(name, valuesByKey).parse();
  }

  /** Parses one target's values, collecting every problem instead of stopping at the first. */
  private static final class TargetParser {
    private final TargetName name;
    private final Map<String, String> raw;
    private final Map<ParameterKey, String> values = new EnumMap<>(ParameterKey.class);
    private final List<String> problems = new ArrayList<>();
    private final List<String> switchProblems = new ArrayList<>();

    TargetParser(TargetName name, Map<String, String> raw) {
      this.name = name;
      this.raw = new TreeMap<>(raw);
    }

    ParsedTarget parse() {
      for (Map.Entry<String, String> entry : raw.entrySet()) {
        Optional<ParameterKey> key = ParameterKey.byKey(entry.getKey());
        if (key.isPresent()) {
          values.put(key.get(), entry.getValue());
        } else {
          // Most likely a typo of a key that then takes its default: as bad as a bad value.
          problems.add(
              "unknown key \""
                  + entry.getKey()
                  + "\""
                  + ClosestName.to(entry.getKey(), ParameterKey.keys())
                      .map(meant -> " (did you mean " + meant + "?)")
                      .orElse(""));
        }
      }
      checkRequired();
      checkServiceInCluster();
      // Every value is checked, so that all problems are reported at once; each is empty when bad.
      Optional<Integer> taskConcurrency = integer(ParameterKey.TASK_CONCURRENCY);
      Optional<Integer> utilization = integer(ParameterKey.TARGET_UTILIZATION_PERCENT);
      Optional<ScalingFormula> formula =
          formula(ParameterKey.defaultFormula(taskConcurrency.orElse(0)));
      if (formula.equals(Optional.of(ScalingFormula.BACKLOG_AND_LOAD))
          && taskConcurrency.equals(Optional.of(0))) {
        // Only a policy chosen explicitly gets here (the default needs the fact): guessing the
        // worker's concurrency would size the fleet on a made-up number.
        problems.add(
            "policy backlog-and-load needs task-concurrency (the worker's messages at a time)");
      }
      Optional<Integer> minTasks = integer(ParameterKey.MIN_TASKS);
      Optional<Integer> maxTasks = integer(ParameterKey.MAX_TASKS);
      if (minTasks.isPresent() && maxTasks.isPresent() && minTasks.get() > maxTasks.get()) {
        problems.add("min-tasks " + minTasks.get() + " is above max-tasks " + maxTasks.get());
      }
      Optional<Integer> backlogPerTask = integer(ParameterKey.BACKLOG_PER_TASK);
      Optional<Integer> activation = integer(ParameterKey.ACTIVATION_BACKLOG);
      Optional<Boolean> inFlight = bool(ParameterKey.COUNT_IN_FLIGHT);
      Optional<Boolean> delayed = bool(ParameterKey.COUNT_DELAYED);
      Optional<Integer> cooldown = integer(ParameterKey.SCALE_OUT_COOLDOWN_SECONDS);
      // Two defaults depend on the formula; with an unknown policy backlog-per-task's is assumed
      // only
      // to check the values (they make no configuration then).
      ScalingFormula defaultsOf = formula.orElse(ScalingFormula.BACKLOG_PER_TASK);
      Optional<Integer> stabilization =
          integer(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, defaultsOf);
      Optional<Integer> toZero = integer(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS);
      Optional<Boolean> whenDrained = bool(ParameterKey.SCALE_IN_WHEN_DRAINED);
      Optional<Boolean> betweenBursts = bool(ParameterKey.SCALE_IN_BETWEEN_BURSTS);
      Optional<Boolean> afterLongPauses = bool(ParameterKey.SCALE_IN_AFTER_LONG_PAUSES);
      Optional<Integer> outStep = integer(ParameterKey.MAX_SCALE_OUT_STEP);
      Optional<Integer> inStep = integer(ParameterKey.MAX_SCALE_IN_STEP);
      Optional<Integer> tolerance = integer(ParameterKey.SCALE_TOLERANCE_PERCENT, defaultsOf);
      Optional<Integer> interval = integer(ParameterKey.SAMPLE_INTERVAL_SECONDS);
      Optional<Integer> idleCheck = integer(ParameterKey.IDLE_CHECK_SECONDS);
      // The safety switches fail closed: an unreadable value never lets the scaler act.
      Optional<Boolean> enabled = safetySwitch(ParameterKey.ENABLED);
      Optional<Boolean> dryRun = safetySwitch(ParameterKey.DRY_RUN);
      if (!problems.isEmpty() || !switchProblems.isEmpty()) {
        return new ParsedTarget(
            name, raw, Optional.empty(), problems, switchProblems, enabled, dryRun);
      }
      ScalingParameters backlogOnly =
          new ScalingParameters(
                  minTasks.orElseThrow(),
                  maxTasks.orElseThrow(),
                  backlogPerTask.orElseThrow(),
                  activation.orElseThrow(),
                  inFlight.orElseThrow(),
                  delayed.orElseThrow(),
                  Duration.ofSeconds(cooldown.orElseThrow()),
                  Duration.ofSeconds(stabilization.orElseThrow()),
                  outStep.orElseThrow(),
                  inStep.orElseThrow(),
                  tolerance.orElseThrow())
              .withScaleToZeroDelay(Duration.ofSeconds(toZero.orElseThrow()))
              .withScaleInWhenDrained(whenDrained.orElseThrow())
              .withScaleInBetweenBursts(betweenBursts.orElseThrow())
              .withScaleInAfterLongPauses(afterLongPauses.orElseThrow());
      ScalingParameters parameters =
          formula.orElseThrow() == ScalingFormula.BACKLOG_AND_LOAD
              ? backlogOnly.withLoad(
                  new LoadTerm(taskConcurrency.orElseThrow(), utilization.orElseThrow()))
              : backlogOnly;
      TargetConfig config =
          new TargetConfig(
              name,
              text(ParameterKey.QUEUE_URL),
              text(ParameterKey.CLUSTER),
              text(ParameterKey.SERVICE),
              enabled.orElseThrow(),
              dryRun.orElseThrow(),
              true,
              Optional.of(parameters),
              new SamplingPlan(Duration.ofSeconds(interval.orElseThrow())),
              new IdleChecks(Duration.ofSeconds(idleCheck.orElseThrow())),
              List.of());
      return new ParsedTarget(
          name, raw, Optional.of(config), List.of(), List.of(), enabled, dryRun);
    }

    private void checkRequired() {
      for (ParameterKey key : ParameterKey.values()) {
        if (!key.isRequired()) {
          continue;
        }
        String value = values.getOrDefault(key, "").trim();
        if (value.isEmpty()) {
          problems.add(key.key() + " is required but missing");
        } else if (key == ParameterKey.QUEUE_URL && !looksLikeQueueUrl(value)) {
          problems.add(key.key() + ": \"" + shown(value) + "\" is not an SQS queue URL");
        } else if (key == ParameterKey.CLUSTER && !ECS_CLUSTER.matcher(value).matches()) {
          problems.add(key.key() + ": \"" + shown(value) + "\" is not an ECS cluster name or ARN");
        } else if (key == ParameterKey.SERVICE && !ECS_SERVICE.matcher(value).matches()) {
          problems.add(key.key() + ": \"" + shown(value) + "\" is not an ECS service name or ARN");
        }
      }
    }

    /**
     * Every call for the target names its cluster: a service ARN of another cluster (or, beside a
     * cluster ARN, of another region or account) is a typo in one of the two, and a same-named
     * service of the target's cluster could be read and scaled in its place.
     */
    private void checkServiceInCluster() {
      String cluster = values.getOrDefault(ParameterKey.CLUSTER, "").trim();
      String service = values.getOrDefault(ParameterKey.SERVICE, "").trim();
      if (!ECS_CLUSTER.matcher(cluster).matches()
          || !ECS_SERVICE.matcher(service).matches()
          || !service.startsWith("arn:")) {
        return;
      }
      String clusterName = EcsNames.nameOf(cluster);
      String[] servicePath = service.substring(service.indexOf(":service/") + 9).split("/");
      if (servicePath.length == 2 && !servicePath[0].equals(clusterName)) {
        problems.add(
            "service: \""
                + service
                + "\" names cluster \""
                + servicePath[0]
                + "\", not the target's cluster \""
                + clusterName
                + "\"");
      }
      if (cluster.startsWith("arn:")) {
        // Partition, region and account: one resource's ARN cannot differ from its cluster's in
        // any.
        String[] clusterArn = cluster.split(":", 6);
        String[] serviceArn = service.split(":", 6);
        if (!clusterArn[1].equals(serviceArn[1])
            || !clusterArn[3].equals(serviceArn[3])
            || !clusterArn[4].equals(serviceArn[4])) {
          problems.add(
              "service: \""
                  + service
                  + "\" is in "
                  + location(serviceArn)
                  + ", the cluster in "
                  + location(clusterArn));
        }
      }
    }

    private static String location(String[] arn) {
      return "partition " + arn[1] + ", region " + arn[3] + " and account " + arn[4];
    }

    private String text(ParameterKey key) {
      return values.get(key).trim();
    }

    private Optional<Integer> integer(ParameterKey key) {
      return integer(key, key.defaultValue());
    }

    private Optional<Integer> integer(ParameterKey key, ScalingFormula formula) {
      return integer(key, key.defaultValue(formula));
    }

    /** The value (its default when absent), or empty when it is bad (reported). */
    private Optional<Integer> integer(ParameterKey key, String defaultValue) {
      String raw = values.get(key);
      if (raw == null) {
        return Optional.of(Integer.parseInt(defaultValue));
      }
      BigInteger value;
      try {
        // Not Integer.parseInt: 10000000000 is an integer, one out of range, and is said so.
        value = new BigInteger(raw.trim());
      } catch (NumberFormatException notAnInteger) {
        problems.add(key.key() + ": \"" + shown(raw) + "\" is not an integer");
        return Optional.empty();
      }
      if (!key.allows(value)) {
        problems.add(key.key() + ": " + value + " is out of range (" + key.valid() + ")");
        return Optional.empty();
      }
      return Optional.of(value.intValueExact());
    }

    /** The formula (the default when absent), or empty when unknown (reported). */
    private Optional<ScalingFormula> formula(ScalingFormula whenAbsent) {
      ParameterKey key = ParameterKey.POLICY;
      String raw = values.get(key);
      if (raw == null) {
        return Optional.of(whenAbsent);
      }
      Optional<ScalingFormula> formula = ScalingFormula.byKey(raw.trim());
      if (formula.isEmpty()) {
        problems.add(key.key() + ": \"" + shown(raw) + "\" is not one of " + key.valid());
      }
      return formula;
    }

    /** The value (its default when absent), or empty when unreadable (reported). */
    private Optional<Boolean> bool(ParameterKey key) {
      Optional<Boolean> value = parseBoolean(key);
      if (value.isEmpty()) {
        problems.add(key.key() + ": \"" + shown(values.get(key)) + "\" is not true or false");
      }
      return value;
    }

    /** A safety switch: its value, or empty (reported) when it is neither true nor false. */
    private Optional<Boolean> safetySwitch(ParameterKey key) {
      Optional<Boolean> value = parseBoolean(key);
      if (value.isEmpty()) {
        switchProblems.add(
            key.key()
                + ": \""
                + shown(values.get(key))
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

    /**
     * A value as a problem quotes it. Every valid value is printable ASCII, so any other character
     * (a no-break space, a zero-width space, a look-alike hyphen pasted from a document) is likely
     * the fault, and printed as is the operator could not see it: it is shown as a backslash, u and
     * its four hex digits, and a backslash itself doubled, so the line names the character.
     */
    private static String shown(String raw) {
      StringBuilder out = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\') {
          out.append("\\\\");
        } else if (c >= ' ' && c <= '~') {
          out.append(c);
        } else {
          out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
        }
      }
      return out.toString();
    }

    private static boolean looksLikeQueueUrl(String value) {
      // No queue URL holds a backslash, a space or a control character (queue names are letters,
      // digits, - and _): one that does is a typo or an escape read as written.
      return (value.startsWith("https://") || value.startsWith("http://"))
          && value.indexOf('/', value.indexOf("//") + 2) > 0
          && value.chars().noneMatch(c -> c == '\\' || Character.isWhitespace(c) || c < 0x20);
    }
  }
}
