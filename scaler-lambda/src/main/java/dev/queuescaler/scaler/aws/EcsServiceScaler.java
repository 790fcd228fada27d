package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.cycle.ServiceScaler;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;

/** Describes and sets an ECS service's desired count. */
public final class EcsServiceScaler implements ServiceScaler {

  private final EcsClient ecs;

  public EcsServiceScaler(EcsClient ecs) {
    this.ecs = ecs;
  }

  @Override
  public ServiceSnapshot describe(ServiceRef ref) {
    DescribeServicesResponse response;
    try {
      response =
          ecs.describeServices(request -> request.cluster(ref.cluster()).services(ref.service()));
    } catch (SdkException e) {
      throw new AwsFailure("DescribeServices", ref.toString(), e);
    }
    if (!response.failures().isEmpty()) {
      throw new AwsFailure(
          "DescribeServices", ref.toString(), "service " + response.failures().get(0).reason());
    }
    if (response.services().isEmpty()) {
      throw new AwsFailure("DescribeServices", ref.toString(), "no service in the response");
    }
    Service service = response.services().get(0);
    if (!"ACTIVE".equals(service.status())) {
      throw new AwsFailure(
          "DescribeServices", ref.toString(), "service is " + service.status() + ", not ACTIVE");
    }
    return new ServiceSnapshot(
        nonNull(service.desiredCount()),
        nonNull(service.runningCount()),
        nonNull(service.pendingCount()));
  }

  @Override
  public void setDesiredCount(ServiceRef ref, int desiredCount) {
    try {
      // desiredCount only: nothing else of the service (task definition, network) is touched.
      ecs.updateService(
          request ->
              request.cluster(ref.cluster()).service(ref.service()).desiredCount(desiredCount));
    } catch (SdkException e) {
      throw new AwsFailure("UpdateService", ref.toString(), e);
    }
  }

  private static int nonNull(Integer count) {
    return count == null ? 0 : count;
  }
}
