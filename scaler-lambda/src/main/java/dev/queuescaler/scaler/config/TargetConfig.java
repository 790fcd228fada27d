package dev.queuescaler.scaler.config;

import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One target's configuration after parsing.
 *
 * @param name the target
 * @param queueUrl the SQS queue URL
 * @param cluster the ECS cluster name or ARN
 * @param service the ECS service name or ARN
 * @param enabled whether the scaler may act on this target (false when its value is unreadable)
 * @param dryRun whether decisions are only reported (true when its value is unreadable)
 * @param switchesReadable false when enabled or dry-run has a value that is neither true nor false:
 *     the target then fails closed (HOLD, CONFIG_INVALID, counted as failed)
 * @param parameters the tunables (the parser makes no configuration without them; empty, the target
 *     HOLDs with CONFIG_INVALID)
 * @param sampling how often it is read and decided within one invocation
 * @param idleChecks how often its queue is read while it is idle, between invocations
 * @param problems what the target's line reports about its configuration: a change not applied (and
 *     what stays in force instead), a service another target names, a change not read
 */
public record TargetConfig(
    TargetName name,
    String queueUrl,
    String cluster,
    String service,
    boolean enabled,
    boolean dryRun,
    boolean switchesReadable,
    Optional<ScalingParameters> parameters,
    SamplingPlan sampling,
    IdleChecks idleChecks,
    List<String> problems) {

  public TargetConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(idleChecks, "idleChecks");
    problems = List.copyOf(problems);
  }

  /** A target whose idle queue is read by the schedule alone, once a minute. */
  public TargetConfig(
      TargetName name,
      String queueUrl,
      String cluster,
      String service,
      boolean enabled,
      boolean dryRun,
      boolean switchesReadable,
      Optional<ScalingParameters> parameters,
      SamplingPlan sampling,
      List<String> problems) {
    this(
        name,
        queueUrl,
        cluster,
        service,
        enabled,
        dryRun,
        switchesReadable,
        parameters,
        sampling,
        IdleChecks.SCHEDULE_ONLY,
        problems);
  }

  /** This configuration with dry-run forced on, as {@code once --dry-run} asks. */
  public TargetConfig asDryRun() {
    return new TargetConfig(
        name,
        queueUrl,
        cluster,
        service,
        enabled,
        true,
        switchesReadable,
        parameters,
        sampling,
        idleChecks,
        problems);
  }

  /** This configuration with more problems to report on its line. */
  public TargetConfig withProblems(List<String> more) {
    List<String> all = new ArrayList<>(problems);
    all.addAll(more);
    return new TargetConfig(
        name,
        queueUrl,
        cluster,
        service,
        enabled,
        dryRun,
        switchesReadable,
        parameters,
        sampling,
        idleChecks,
        all);
  }
}
