package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.TargetName;
import java.util.Objects;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * What to scale, on what, how.
 *
 * @param targetName the SSM child path {@code <prefix>/<target>/}, {@code [A-Za-z0-9._-]{1,64}}
 * @param queue the queue whose depth drives the count
 * @param cluster the service's cluster
 * @param service the ECS service to scale; it must have no Application Auto Scaling policy
 * @param tunables the target's SSM values
 */
public record QueueDepthScalerProps(
    String targetName,
    IQueue queue,
    ICluster cluster,
    BaseService service,
    ScalerTunables tunables) {

  public QueueDepthScalerProps {
    Objects.requireNonNull(queue, "QueueDepthScalerProps.queue is required");
    Objects.requireNonNull(cluster, "QueueDepthScalerProps.cluster is required");
    Objects.requireNonNull(service, "QueueDepthScalerProps.service is required");
    Objects.requireNonNull(tunables, "QueueDepthScalerProps.tunables is required");
    if (!TargetName.isValid(targetName)) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.targetName must match [A-Za-z0-9._-]{1,64} but was \""
              + targetName
              + "\"");
    }
  }
}
