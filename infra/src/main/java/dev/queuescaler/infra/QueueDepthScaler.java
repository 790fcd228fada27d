package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * Queue-depth scaling for one ECS service: the target's SSM parameters under {@code
 * /queue-scaler/<target>/} (queue-url, cluster, service and every tunable, each with its range in
 * the description) and the IAM the shared scaler function needs for this queue and this service.
 * The function, its schedule and its table are shared by every target of the stack.
 *
 * <pre>{@code
 * new QueueDepthScaler(this, "OrdersScaling", new QueueDepthScalerProps(
 *     "orders", ordersQueue, cluster, ordersService,
 *     ScalerTunables.defaults().with(ParameterKey.MAX_TASKS, 20)));
 * }</pre>
 */
public final class QueueDepthScaler extends Construct {

  private final ScalerRuntime runtime;
  private final String parameterPath;

  public QueueDepthScaler(Construct scope, String id, QueueDepthScalerProps props) {
    this(scope, id, props, ScalerRuntime.DEFAULT_JAR);
  }

  public QueueDepthScaler(Construct scope, String id, QueueDepthScalerProps props, String jarPath) {
    super(scope, id);
    runtime = ScalerRuntime.of(this, jarPath);
    parameterPath = ScalerRuntime.PARAMETER_PREFIX + "/" + props.targetName();

    parameter(ParameterKey.QUEUE_URL, props.queue().getQueueUrl());
    parameter(ParameterKey.CLUSTER, props.cluster().getClusterName());
    parameter(ParameterKey.SERVICE, props.service().getServiceName());
    for (Map.Entry<ParameterKey, String> tunable : props.tunables().values().entrySet()) {
      parameter(tunable.getKey(), tunable.getValue());
    }

    runtime
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("ecs:DescribeServices", "ecs:UpdateService"))
                .resources(List.of(props.service().getServiceArn()))
                .build());
    runtime
        .function()
        .addToRolePolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(props.queue().getQueueArn()))
                .build());
  }

  /**
   * One key. Retained on removal: a later template that drops a key must not delete the value an
   * operator tuned through SSM (CloudFormation leaves it; re-adding the same name needs it deleted
   * or imported first, see the README).
   */
  private void parameter(ParameterKey key, String value) {
    StringParameter parameter =
        StringParameter.Builder.create(this, key.key())
            .parameterName(parameterPath + "/" + key.key())
            .stringValue(value)
            .description(
                key.key()
                    + " ("
                    + key.kind().label()
                    + "): "
                    + key.valid()
                    + "; default "
                    + key.tableDefault()
                    + ". Read by the scaler every minute.")
            .build();
    parameter.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /** {@code /queue-scaler/<target>}: where operators tune this target. */
  public String parameterPath() {
    return parameterPath;
  }

  public ScalerRuntime runtime() {
    return runtime;
  }
}
