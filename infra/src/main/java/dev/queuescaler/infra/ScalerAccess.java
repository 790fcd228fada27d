package dev.queuescaler.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.CfnCluster;
import software.amazon.awscdk.services.ecs.CfnService;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.IService;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.CfnQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * One scaler's grants on the targets of one stack: customer managed policies in that stack,
 * attached to the scaler's role, each with one statement for its services' ECS actions and one for
 * its queues' {@code sqs:GetQueueAttributes}, every resource named. A policy is filled up to IAM's
 * 6,144 characters (as {@link ScalerRoleCapacity} bounds them) before the next is started, so a
 * stack uses as few attachments as its targets allow; the runtime counts them across stacks.
 *
 * <p>In the target's stack, beside the target: the stack refers to the runtime's role, and the
 * runtime's stack refers to none of its targets' stacks (the role's own policy would: the two
 * stacks could never deploy). Never the role's inline policies, which IAM caps at 10,240 characters
 * for all of them together.
 */
final class ScalerAccess extends Construct {

  static final String ID = "QueueDepthScalerAccess";

  private final ScalerRuntime runtime;
  private final List<ManagedPolicy> policies = new ArrayList<>();
  private PolicyStatement services;
  private PolicyStatement queues;
  private int chars;

  ScalerAccess(Stack stack, String id, ScalerRuntime runtime) {
    super(stack, id);
    this.runtime = runtime;
  }

  ScalerRuntime runtime() {
    return runtime;
  }

  /** The managed policies this stack attaches to the scaler's role. */
  int policyCount() {
    return policies.size();
  }

  /** Grants the scaler its actions on {@code props}' service (ARN {@code serviceArn}) and queue. */
  void grant(QueueDepthScalerProps props, String serviceArn) {
    Stack stack = Stack.of(this);
    int more =
        serviceChars(stack, props, serviceArn)
            + queueChars(stack, props.queue())
            // Each resource's quotes and the comma before it.
            + 6;
    if (policies.isEmpty() || chars + more > ScalerRoleCapacity.MANAGED_POLICY_CHARS) {
      start();
    }
    services.addResources(serviceArn);
    queues.addResources(props.queue().getQueueArn());
    chars += more;
  }

  private void start() {
    services =
        PolicyStatement.Builder.create()
            .actions(List.of("ecs:DescribeServices", "ecs:UpdateService"))
            .build();
    queues = PolicyStatement.Builder.create().actions(List.of("sqs:GetQueueAttributes")).build();
    policies.add(
        ManagedPolicy.Builder.create(this, "Policy" + (policies.size() + 1))
            .description(
                "Queue-depth scaler "
                    + runtime.parameterPrefix()
                    + ": reads and sets the desired count of its targets' ECS services in this"
                    + " stack, reads their SQS queues' depth")
            .statements(List.of(services, queues))
            .roles(List.of(runtime.function().getRole()))
            .build());
    chars = ScalerRoleCapacity.EMPTY_GRANT.length();
  }

  /** At most how long the service's ARN is once deployed. */
  private static int serviceChars(Stack stack, QueueDepthScalerProps props, String arn) {
    if (!Token.isUnresolved(arn)) {
      return arn.length();
    }
    IService service = props.service();
    int cluster = clusterName(stack, props.cluster());
    if (service instanceof BaseService base) {
      CfnService cfn = base.getNode().getDefaultChild() instanceof CfnService own ? own : null;
      return ScalerRoleCapacity.serviceArn(
          Stack.of(base),
          cluster,
          ScalerRoleCapacity.name(
              Stack.of(base),
              cfn == null ? null : cfn.getServiceName(),
              cfn,
              ScalerRoleCapacity.ECS_NAME_MAX));
    }
    int name =
        ScalerRoleCapacity.name(
            stack, service.getServiceName(), null, ScalerRoleCapacity.ECS_NAME_MAX);
    return ScalerRoleCapacity.resolved(
        stack, arn, ScalerRoleCapacity.serviceArn(stack, cluster, name));
  }

  private static int clusterName(Stack stack, ICluster cluster) {
    CfnCluster cfn =
        cluster instanceof Cluster own && own.getNode().getDefaultChild() instanceof CfnCluster c
            ? c
            : null;
    String named =
        Token.isUnresolved(cluster.getClusterName()) && cfn != null
            ? cfn.getClusterName()
            : cluster.getClusterName();
    return ScalerRoleCapacity.name(
        cfn == null ? stack : Stack.of(cfn), named, cfn, ScalerRoleCapacity.ECS_NAME_MAX);
  }

  /** At most how long the queue's ARN is once deployed. */
  private static int queueChars(Stack stack, IQueue queue) {
    String arn = queue.getQueueArn();
    if (!Token.isUnresolved(arn)) {
      return arn.length();
    }
    if (queue instanceof Queue own && own.getNode().getDefaultChild() instanceof CfnQueue cfn) {
      return ScalerRoleCapacity.queueArn(
          Stack.of(own),
          ScalerRoleCapacity.name(
              Stack.of(own), cfn.getQueueName(), cfn, ScalerRoleCapacity.SQS_NAME_MAX));
    }
    int name =
        ScalerRoleCapacity.name(stack, queue.getQueueName(), null, ScalerRoleCapacity.SQS_NAME_MAX);
    return ScalerRoleCapacity.resolved(stack, arn, ScalerRoleCapacity.queueArn(stack, name));
  }
}
