package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.ScalingFormula;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;

/**
 * The tunables a target sets explicitly, validated with the scaler's own ranges ({@link
 * ParameterKey}), so that a bad value fails synthesis naming its key. Only these keys are written
 * to Parameter Store: a key left unset is absent there, and the scaler takes its default in code
 * (so what the scaler reads every minute grows with what users set, not with the contract, and a
 * later default applies to every target that did not choose).
 *
 * <pre>{@code
 * ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build()
 * }</pre>
 */
public final class ScalerTunables {

  private final Map<ParameterKey, String> explicit;

  private ScalerTunables(Map<ParameterKey, String> explicit) {
    this.explicit = Map.copyOf(explicit);
  }

  /** No key set: every tunable at the scaler's default. */
  public static ScalerTunables defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The keys set explicitly, each with the value to write. */
  public Map<ParameterKey, String> values() {
    return explicit;
  }

  /** Validates each value as it is set, and the values together at {@link #build()}. */
  public static final class Builder {

    private final Map<ParameterKey, String> values = new EnumMap<>(ParameterKey.class);

    private Builder() {}

    /** {@code min-tasks}: the fewest tasks, {@code >= 0}, default 0 (scale to zero). */
    public Builder minTasks(int tasks) {
      return integer(ParameterKey.MIN_TASKS, tasks);
    }

    /** {@code max-tasks}: the most tasks, {@code >= 1}, default 10. */
    public Builder maxTasks(int tasks) {
      return integer(ParameterKey.MAX_TASKS, tasks);
    }

    /**
     * {@code backlog-per-task}: the messages one task should have waiting, {@code >= 1}, default
     * 100.
     */
    public Builder backlogPerTask(int messages) {
      return integer(ParameterKey.BACKLOG_PER_TASK, messages);
    }

    /**
     * {@code activation-backlog}: the backlog that wakes a service at 0 tasks, {@code >= 1},
     * default 1.
     */
    public Builder activationBacklog(int messages) {
      return integer(ParameterKey.ACTIVATION_BACKLOG, messages);
    }

    /** {@code count-in-flight}: whether messages being processed count as backlog, default true. */
    public Builder countInFlight(boolean count) {
      return set(ParameterKey.COUNT_IN_FLIGHT, Boolean.toString(count));
    }

    /** {@code count-delayed}: whether delayed messages count as backlog, default false. */
    public Builder countDelayed(boolean count) {
      return set(ParameterKey.COUNT_DELAYED, Boolean.toString(count));
    }

    /** {@code scale-out-cooldown-seconds}: whole seconds, 0-3600, default 0. */
    public Builder scaleOutCooldown(Duration cooldown) {
      return seconds(ParameterKey.SCALE_OUT_COOLDOWN_SECONDS, cooldown);
    }

    /**
     * {@code scale-in-stabilization-seconds}: the window whose highest desired count a scale-in
     * keeps, whole seconds, 0-3600, default 210 (300 under {@code backlog-per-task}).
     */
    public Builder scaleInStabilization(Duration window) {
      return seconds(ParameterKey.SCALE_IN_STABILIZATION_SECONDS, window);
    }

    /**
     * {@code scale-to-zero-delay-seconds}: an empty queue's wait before 0 tasks, 0-86400 s, default
     * 300.
     */
    public Builder scaleToZeroDelay(Duration delay) {
      return seconds(ParameterKey.SCALE_TO_ZERO_DELAY_SECONDS, delay);
    }

    /**
     * {@code scale-in-when-drained}: whether a drained queue (read empty after a sample that asked
     * for no task, nothing in flight for a minute) scales in without waiting out the stabilization
     * window, default false.
     */
    public Builder scaleInWhenDrained(boolean drained) {
      return set(ParameterKey.SCALE_IN_WHEN_DRAINED, Boolean.toString(drained));
    }

    /**
     * {@code scale-in-between-bursts}: whether a queue read empty between bursts that keep a steady
     * period scales in without waiting out the stabilization window, default true.
     */
    public Builder scaleInBetweenBursts(boolean betweenBursts) {
      return set(ParameterKey.SCALE_IN_BETWEEN_BURSTS, Boolean.toString(betweenBursts));
    }

    /**
     * {@code scale-in-after-long-pauses}: whether a drained queue whose recent pauses mostly
     * outlasted the scale-to-zero delay (or the stabilization window, when longer) releases its
     * tasks without waiting out the window or the delay, default false.
     */
    public Builder scaleInAfterLongPauses(boolean afterLongPauses) {
      return set(ParameterKey.SCALE_IN_AFTER_LONG_PAUSES, Boolean.toString(afterLongPauses));
    }

    /**
     * {@code max-scale-out-step}: the most tasks added at once, {@code >= 0}, default 0 (no limit).
     */
    public Builder maxScaleOutStep(int tasks) {
      return integer(ParameterKey.MAX_SCALE_OUT_STEP, tasks);
    }

    /**
     * {@code max-scale-in-step}: the most tasks removed at once, {@code >= 0}, default 0 (no
     * limit).
     */
    public Builder maxScaleInStep(int tasks) {
      return integer(ParameterKey.MAX_SCALE_IN_STEP, tasks);
    }

    /**
     * {@code scale-tolerance-percent}: a change smaller than this is not made, 0-99, default 10 (0
     * under {@code backlog-per-task}).
     */
    public Builder scaleTolerancePercent(int percent) {
      return integer(ParameterKey.SCALE_TOLERANCE_PERCENT, percent);
    }

    /**
     * {@code policy}: the formula; default {@code backlog-and-load} when {@link #taskConcurrency}
     * is set, else {@code backlog-per-task}. {@code backlog-and-load} needs the task concurrency.
     */
    public Builder policy(ScalingFormula formula) {
      return set(ParameterKey.POLICY, Objects.requireNonNull(formula, "policy").key());
    }

    /**
     * {@code task-concurrency}: the messages one task of the worker holds at a time (the load
     * term's fact), {@code >= 0}, default 0 (unknown).
     */
    public Builder taskConcurrency(int messages) {
      return integer(ParameterKey.TASK_CONCURRENCY, messages);
    }

    /** {@code target-utilization-percent}: the load term's target, 1-200, default 120. */
    public Builder targetUtilizationPercent(int percent) {
      return integer(ParameterKey.TARGET_UTILIZATION_PERCENT, percent);
    }

    /**
     * {@code sample-interval-seconds}: how often the queue is read within the minute, 5-60 s,
     * default 15.
     */
    public Builder sampleInterval(Duration interval) {
      return seconds(ParameterKey.SAMPLE_INTERVAL_SECONDS, interval);
    }

    /**
     * {@code idle-check-seconds}: how often an idle target's queue is read between the schedule's
     * invocations, 5-60 s (51-59: once, at 50 s; 60: the schedule alone), default 15. Each check is
     * one GetQueueAttributes call, from the stack's own checks queue when no invocation is running.
     */
    public Builder idleCheck(Duration interval) {
      return seconds(ParameterKey.IDLE_CHECK_SECONDS, interval);
    }

    /** {@code enabled}: false leaves the service's count alone, default true. */
    public Builder enabled(boolean enabled) {
      return set(ParameterKey.ENABLED, Boolean.toString(enabled));
    }

    /** {@code dry-run}: true decides and reports without changing the count, default false. */
    public Builder dryRun(boolean dryRun) {
      return set(ParameterKey.DRY_RUN, Boolean.toString(dryRun));
    }

    /**
     * Any tunable key by its SSM form ({@code "20"}, {@code "true"}, {@code "backlog-per-task"}),
     * checked as the scaler checks it. The required keys come from the queue and the service.
     */
    public Builder set(ParameterKey key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, key.key());
      if (key.isRequired()) {
        throw new IllegalArgumentException(
            key.key() + " is set by the construct from the queue and the service, not by tunables");
      }
      switch (key.kind()) {
        case INTEGER -> {
          BigInteger number;
          try {
            // Not Integer.parseInt: 10000000000 is an integer, out of range, as the scaler says.
            number = new BigInteger(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " must be an integer but was " + value);
          }
          if (!key.allows(number)) {
            throw new IllegalArgumentException(
                key.key() + " must be " + key.valid() + " but was " + number);
          }
        }
        case BOOLEAN -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(
                key.key() + " must be true or false but was " + value);
          }
        }
        case CHOICE -> {
          if (key == ParameterKey.POLICY && ScalingFormula.byKey(value).isEmpty()) {
            throw new IllegalArgumentException(
                key.key() + " must be one of " + key.valid() + " but was " + value);
          }
        }
        case TEXT -> throw new IllegalStateException("unreachable: " + key);
      }
      values.put(key, value);
      return this;
    }

    /** The tunables, checked together: min-tasks within max-tasks, the formula's fact given. */
    public ScalerTunables build() {
      int min = effective(ParameterKey.MIN_TASKS);
      int max = effective(ParameterKey.MAX_TASKS);
      if (min > max) {
        throw new IllegalArgumentException(
            "min-tasks (" + min + ") must not be above max-tasks (" + max + ")");
      }
      int concurrency = effective(ParameterKey.TASK_CONCURRENCY);
      ScalingFormula formula =
          values.containsKey(ParameterKey.POLICY)
              ? ScalingFormula.byKey(values.get(ParameterKey.POLICY)).orElseThrow()
              : ParameterKey.defaultFormula(concurrency);
      if (formula == ScalingFormula.BACKLOG_AND_LOAD && concurrency == 0) {
        throw new IllegalArgumentException(
            "policy backlog-and-load needs task-concurrency: the worker's messages at a time");
      }
      return new ScalerTunables(values);
    }

    private Builder integer(ParameterKey key, int value) {
      checkRange(key, value);
      values.put(key, Integer.toString(value));
      return this;
    }

    private Builder seconds(ParameterKey key, Duration duration) {
      Objects.requireNonNull(duration, key.key());
      long millis = duration.toMilliseconds().longValue();
      if (millis % 1000 != 0) {
        throw new IllegalArgumentException(
            key.key() + " must be whole seconds but was " + millis + " ms");
      }
      long seconds = millis / 1000;
      if (seconds < key.minimum() || seconds > key.maximum()) {
        throw new IllegalArgumentException(
            key.key() + " must be " + key.valid() + " but was " + seconds);
      }
      values.put(key, Long.toString(seconds));
      return this;
    }

    private static void checkRange(ParameterKey key, int value) {
      if (!key.allows(BigInteger.valueOf(value))) {
        throw new IllegalArgumentException(
            key.key() + " must be " + key.valid() + " but was " + value);
      }
    }

    private int effective(ParameterKey key) {
      return Integer.parseInt(values.getOrDefault(key, key.defaultValue()));
    }
  }
}
