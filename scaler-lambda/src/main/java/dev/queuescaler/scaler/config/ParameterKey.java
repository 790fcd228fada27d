package dev.queuescaler.scaler.config;

import dev.queuescaler.scaler.policy.ScalingFormula;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The keys of one target under {@code <prefix>/<target>/}: the exact SSM contract. The README's
 * parameter table is tested against these definitions.
 */
public enum ParameterKey {
  QUEUE_URL("queue-url", Kind.TEXT, "required", 0, "an SQS queue URL"),
  CLUSTER("cluster", Kind.TEXT, "required", 0, "ECS cluster name or ARN"),
  SERVICE("service", Kind.TEXT, "required", 0, "ECS service name or ARN"),
  MIN_TASKS("min-tasks", Kind.INTEGER, "0", 0, ">= 0"),
  MAX_TASKS("max-tasks", Kind.INTEGER, "10", 1, ">= 1"),
  BACKLOG_PER_TASK("backlog-per-task", Kind.INTEGER, "100", 1, ">= 1"),
  ACTIVATION_BACKLOG("activation-backlog", Kind.INTEGER, "1", 1, ">= 1"),
  COUNT_IN_FLIGHT("count-in-flight", Kind.BOOLEAN, "true", 0, "true/false"),
  COUNT_DELAYED("count-delayed", Kind.BOOLEAN, "false", 0, "true/false"),
  // Every duration has an upper bound, as in Kubernetes (the HPA's behavior stabilization window
  // is at most 3600 s): a value past it is a typo, not a setting, and would hold a fleet for days.
  // The stored history does not rely on them: it keeps ScalingHistory.MAX_ENTRIES at most anyway.
  SCALE_OUT_COOLDOWN_SECONDS("scale-out-cooldown-seconds", Kind.INTEGER, "0", 0, 3600, "0-3600"),
  SCALE_IN_STABILIZATION_SECONDS(
      "scale-in-stabilization-seconds", Kind.INTEGER, "210", 0, 3600, "0-3600"),
  // A day, not the HPA's hour: one task kept warm through a daily lull (work that comes a few times
  // a day) is a real use, and it costs one task, not the fleet the stabilization window holds.
  // Past a day, min-tasks = 1 says what is meant.
  SCALE_TO_ZERO_DELAY_SECONDS(
      "scale-to-zero-delay-seconds", Kind.INTEGER, "300", 0, 86_400, "0-86400"),
  // Off by default: it saves task-minutes where batches come minutes apart and costs p99 and
  // task-minutes where quiet spells last a minute or two, like the Azure code trace
  // (docs/decisions.md, "Scale in when drained").
  SCALE_IN_WHEN_DRAINED("scale-in-when-drained", Kind.BOOLEAN, "false", 0, "true/false"),
  // On by default: on the traffic families' tuning draws it cuts the task-minutes of bursts every
  // 7 minutes by a fifth to a third at the same p99 and changes no other traffic's p99, and the
  // held-out draws agree (docs/decisions.md, "Scale in between periodic bursts").
  SCALE_IN_BETWEEN_BURSTS("scale-in-between-bursts", Kind.BOOLEAN, "true", 0, "true/false"),
  // Off by default: it saves about a fifth of the task-minutes of sparse arrivals, but on the
  // held-out draws it costs p99 and task-minutes where work comes back in waves after long pauses
  // (the square wave), which the tuning draws did not show, and it cannot see work a warm task
  // finishes between samples (docs/decisions.md, "Stopping the last task at once after long
  // pauses"; docs/operating.md).
  SCALE_IN_AFTER_LONG_PAUSES("scale-in-after-long-pauses", Kind.BOOLEAN, "false", 0, "true/false"),
  MAX_SCALE_OUT_STEP("max-scale-out-step", Kind.INTEGER, "0", 0, ">= 0"),
  MAX_SCALE_IN_STEP("max-scale-in-step", Kind.INTEGER, "0", 0, ">= 0"),
  // The Kubernetes HPA's own tolerance (KEDA's): chosen on the traffic families' tuning draws
  // (docs/decisions.md, "A 10 % tolerance").
  SCALE_TOLERANCE_PERCENT("scale-tolerance-percent", Kind.INTEGER, "10", 0, 99, "0-99"),
  POLICY("policy", Kind.CHOICE, "backlog-and-load", 0, "backlog-per-task, backlog-and-load"),
  TASK_CONCURRENCY(
      "task-concurrency", Kind.INTEGER, "0", 0, ">= 0; the worker's messages at a time, 0 unknown"),
  TARGET_UTILIZATION_PERCENT("target-utilization-percent", Kind.INTEGER, "120", 1, 200, "1-200"),
  // The schedule fires once a minute, so 60 already means once per invocation: a larger value
  // would do the same and says something the scaler does not do.
  SAMPLE_INTERVAL_SECONDS(
      "sample-interval-seconds", Kind.INTEGER, "15", 5, 60, "5-60; 60: once a minute"),
  // An idle target (empty queue, no task) between the schedule's invocations: one
  // GetQueueAttributes a check, from the scheduled invocation while it is alive, else from a short
  // invocation of a delayed message (docs/deploy.md has the cost). 15 s matches the sampling
  // default, and halves KEDA's 30 s polling, the reaction users compare against.
  IDLE_CHECK_SECONDS(
      "idle-check-seconds",
      Kind.INTEGER,
      "15",
      5,
      60,
      "5-60; 51-59: one check at 50 s; 60: the schedule alone"),
  ENABLED("enabled", Kind.BOOLEAN, "true", 0, "true/false"),
  DRY_RUN("dry-run", Kind.BOOLEAN, "false", 0, "true/false");

  /** How a value is read. */
  public enum Kind {
    TEXT("string"),
    INTEGER("int"),
    BOOLEAN("bool"),
    CHOICE("choice");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final String key;
  private final Kind kind;
  private final String defaultValue;
  private final int minimum;
  private final int maximum;
  private final String valid;

  ParameterKey(String key, Kind kind, String defaultValue, int minimum, String valid) {
    this(key, kind, defaultValue, minimum, Integer.MAX_VALUE, valid);
  }

  ParameterKey(String key, Kind kind, String defaultValue, int minimum, int maximum, String valid) {
    this.key = key;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.minimum = minimum;
    this.maximum = maximum;
    this.valid = valid;
  }

  /** The name under the target's path, e.g. {@code max-tasks}. */
  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The default as written in SSM, or {@code required}: the default formula's, backlog-and-load
   * (for the stabilization and the tolerance see {@link #defaultValue(ScalingFormula)}).
   */
  public String defaultValue() {
    return defaultValue;
  }

  /** The smallest accepted value of an INTEGER key. */
  public int minimum() {
    return minimum;
  }

  /** The largest accepted value of an INTEGER key. */
  public int maximum() {
    return maximum;
  }

  /**
   * Whether an INTEGER key takes {@code value}: a number of any size, so that one beyond the int
   * range is out of range, not "not an integer".
   */
  public boolean allows(BigInteger value) {
    return value.compareTo(BigInteger.valueOf(minimum)) >= 0
        && value.compareTo(BigInteger.valueOf(maximum)) <= 0;
  }

  /** The valid range in words, as the README's table shows it. */
  public String valid() {
    return valid;
  }

  /**
   * The default under {@code formula}: the same for both, except the scale-in stabilization and the
   * tolerance, which the simulator chose per formula. The load term keeps a busy fleet, so its
   * window can be shorter, and a 10 % tolerance stops it from adding a task for noise;
   * backlog-per-task keeps its documented 300 s and no tolerance.
   */
  public String defaultValue(ScalingFormula formula) {
    if (formula == ScalingFormula.BACKLOG_PER_TASK && backlogPerTaskDefault().isPresent()) {
      return backlogPerTaskDefault().get();
    }
    return defaultValue;
  }

  /** Where the backlog-per-task formula keeps a default of its own. */
  private Optional<String> backlogPerTaskDefault() {
    return switch (this) {
      case SCALE_IN_STABILIZATION_SECONDS -> Optional.of("300");
      case SCALE_TOLERANCE_PERCENT -> Optional.of("0");
      default -> Optional.empty();
    };
  }

  /**
   * The formula of a target without a (readable) {@code policy}: the default, backlog-and-load,
   * once the worker's concurrency is known; backlog-per-task while it is 0 (a target written by
   * hand, or before the key existed), since the load term needs that fact and a guess would size
   * the fleet on a made-up number. The deployment writes it for its workers.
   */
  public static ScalingFormula defaultFormula(int taskConcurrency) {
    return taskConcurrency > 0
        ? ScalingFormula.byKey(POLICY.defaultValue).orElseThrow()
        : ScalingFormula.BACKLOG_PER_TASK;
  }

  /** The default as the README's table shows it. */
  public String tableDefault() {
    if (backlogPerTaskDefault().isPresent()) {
      return defaultValue + " (backlog-per-task: " + backlogPerTaskDefault().get() + ")";
    }
    return this == MAX_SCALE_OUT_STEP || this == MAX_SCALE_IN_STEP
        ? defaultValue + " (no limit)"
        : defaultValue;
  }

  public boolean isRequired() {
    return kind == Kind.TEXT;
  }

  /** Every key's name, in declaration order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(ParameterKey::key).toList();
  }

  public static Optional<ParameterKey> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }
}
