package dev.queuescaler.infra;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ecs.IBaseService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.IService;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * What to scale, on what, how: built with {@link #builder()}, validated when built.
 *
 * <pre>{@code
 * QueueDepthScalerProps.builder()
 *     .targetName("orders")
 *     .queue(ordersQueue)
 *     .service(ordersService)
 *     .tunables(ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build())
 *     .build();
 * }</pre>
 *
 * @param targetName the target's name under the prefix, {@code [A-Za-z0-9._-]{1,64}}, unique per
 *     prefix
 * @param queue the queue whose depth drives the count
 * @param service the ECS service to scale; it must have no Application Auto Scaling policy and no
 *     desired count of its own in the template
 * @param cluster the service's cluster
 * @param tunables the keys set explicitly; the rest stay at the scaler's defaults
 * @param parameterPrefix where the target's keys are written, {@code <prefix>/<target>/<key>}
 * @param runtime a scaler shared with other stacks; empty for the stack's own for the prefix
 * @param telemetry how the scaler's function traces and logs, when the construct creates it; empty
 *     for {@link TelemetrySettings#defaults()} (or the existing runtime's)
 */
public record QueueDepthScalerProps(
    String targetName,
    IQueue queue,
    IService service,
    ICluster cluster,
    ScalerTunables tunables,
    ParameterPrefix parameterPrefix,
    Optional<ScalerRuntime> runtime,
    Optional<TelemetrySettings> telemetry) {

  public QueueDepthScalerProps {
    if (!ParameterPrefix.isTargetName(targetName)) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.targetName must match [A-Za-z0-9._-]{1,64}, not dots alone, but"
              + " was \""
              + targetName
              + "\"");
    }
    Objects.requireNonNull(queue, "QueueDepthScalerProps.queue is required");
    Objects.requireNonNull(service, "QueueDepthScalerProps.service is required");
    Objects.requireNonNull(cluster, "QueueDepthScalerProps.cluster is required");
    Objects.requireNonNull(tunables, "QueueDepthScalerProps.tunables is required");
    Objects.requireNonNull(parameterPrefix, "QueueDepthScalerProps.parameterPrefix is required");
    Objects.requireNonNull(runtime, "QueueDepthScalerProps.runtime is required (may be empty)");
    Objects.requireNonNull(telemetry, "QueueDepthScalerProps.telemetry is required (may be empty)");
    if (service instanceof IBaseService base && base.getCluster() != cluster) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.cluster must be the service's own cluster: leave it unset, it is"
              + " taken from the service");
    }
    arnCluster(service)
        .filter(named -> !Token.isUnresolved(cluster.getClusterName()))
        .filter(named -> !named.equals(cluster.getClusterName()))
        .ifPresent(
            named -> {
              throw new IllegalArgumentException(
                  "QueueDepthScalerProps.cluster is "
                      + cluster.getClusterName()
                      + ", but the service's ARN "
                      + service.getServiceArn()
                      + " names cluster "
                      + named
                      + ": give the service's own cluster");
            });
    if (runtime.isPresent() && !runtime.get().parameterPrefix().equals(parameterPrefix)) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.parameterPrefix "
              + parameterPrefix
              + " differs from the runtime's "
              + runtime.get().parameterPrefix()
              + ": leave it unset, it is taken from the runtime");
    }
    if (runtime.isPresent()
        && telemetry.isPresent()
        && !runtime.get().telemetry().equals(telemetry.get())) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.telemetry "
              + telemetry.get()
              + " differs from the runtime's "
              + runtime.get().telemetry()
              + ": leave it unset, or give it where the runtime is created"
              + " (ScalerRuntime.forPrefix)");
    }
  }

  /**
   * The cluster a literal service ARN names ({@code service/<cluster>/<name>}, ECS's format since
   * 2021); empty for a token or the old format {@code service/<name>}.
   */
  private static Optional<String> arnCluster(IService service) {
    String arn = service.getServiceArn();
    if (Token.isUnresolved(arn)) {
      return Optional.empty();
    }
    String resource = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).getResourceName();
    if (resource == null || resource.indexOf('/') < 0) {
      return Optional.empty();
    }
    return Optional.of(resource.substring(0, resource.lastIndexOf('/')));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** CDK's builder style: required targetName, queue and service; the rest have defaults. */
  public static final class Builder {

    private String targetName;
    private IQueue queue;
    private IService service;
    private ICluster cluster;
    private ScalerTunables tunables = ScalerTunables.defaults();
    private ParameterPrefix parameterPrefix;
    private ScalerRuntime runtime;
    private TelemetrySettings telemetry;

    Builder() {}

    /**
     * Required. The target's name: the path under the prefix ({@code <prefix>/<targetName>/}), the
     * {@code Target} dimension of its metrics and the name in its decision lines; {@code
     * [A-Za-z0-9._-]{1,64}}, not dots alone, unique under the prefix (a second target with the same
     * name fails synthesis).
     */
    public Builder targetName(String targetName) {
      this.targetName = targetName;
      return this;
    }

    /** Required. The queue whose depth drives the count; the scaler may read its attributes. */
    public Builder queue(IQueue queue) {
      this.queue = queue;
      return this;
    }

    /**
     * Required. The ECS service to scale, a {@code FargateService} or any {@code BaseService} (its
     * cluster is taken from it), or a service imported by ARN (then set {@link #cluster}). The
     * scaler may describe and update it. Give it no Application Auto Scaling policy and no desired
     * count in the template: either would overwrite the scaler's count.
     */
    public Builder service(IService service) {
      this.service = service;
      return this;
    }

    /**
     * Only for a service whose cluster cannot be derived (one imported by ARN): its cluster.
     * Default: the service's own cluster.
     */
    public Builder cluster(ICluster cluster) {
      this.cluster = cluster;
      return this;
    }

    /** The keys set explicitly. Default: none, every key at the scaler's default. */
    public Builder tunables(ScalerTunables tunables) {
      this.tunables = tunables;
      return this;
    }

    /**
     * The SSM path the target is written under, and that its scaler reads: one scaler per prefix
     * (see {@link ScalerRuntime}). An SSM path such as {@code /team-a/scaler} (see {@link
     * ParameterPrefix}). Default: {@code /queue-scaler}, or the runtime's when one is given.
     */
    public Builder parameterPrefix(String parameterPrefix) {
      this.parameterPrefix = new ParameterPrefix(parameterPrefix);
      return this;
    }

    /**
     * A scaler shared with targets in other stacks ({@link ScalerRuntime#forPrefix}); its prefix is
     * the target's. Default: the stack's own runtime for the prefix, created on first use.
     */
    public Builder runtime(ScalerRuntime runtime) {
      this.runtime = runtime;
      return this;
    }

    /**
     * How the scaler's function traces and logs ({@code TRACING}, the OpenTelemetry collector
     * layer, the log level), for the runtime this construct creates; another target of the same
     * runtime that gives other settings fails. The construct reads no context of the app: this is
     * the only way to set them. Default: {@link TelemetrySettings#defaults()}, X-Ray at INFO.
     */
    public Builder telemetry(TelemetrySettings telemetry) {
      this.telemetry = telemetry;
      return this;
    }

    /** The props, validated. */
    public QueueDepthScalerProps build() {
      Objects.requireNonNull(service, "QueueDepthScalerProps.service is required");
      ICluster resolvedCluster = cluster;
      if (service instanceof IBaseService base) {
        resolvedCluster = Optional.ofNullable(cluster).orElse(base.getCluster());
      } else if (cluster == null) {
        throw new IllegalArgumentException(
            "QueueDepthScalerProps.cluster is required for a service imported without its cluster");
      }
      ParameterPrefix prefix =
          Optional.ofNullable(parameterPrefix)
              .or(() -> Optional.ofNullable(runtime).map(ScalerRuntime::parameterPrefix))
              .orElse(ParameterPrefix.DEFAULT);
      return new QueueDepthScalerProps(
          targetName,
          queue,
          service,
          resolvedCluster,
          tunables,
          prefix,
          Optional.ofNullable(runtime),
          Optional.ofNullable(telemetry));
    }
  }
}
