package dev.queuescaler.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each with the reason a reviewer would
 * accept. Everything else is an error that fails the infra tests.
 *
 * <p>Reviewed although this cdk-nag version no longer checks it (its AwsSolutions pack dropped
 * SNS2, topic encryption at rest): the alarm topic is not encrypted. It carries CloudWatch alarm
 * notifications (alarm names, states, thresholds, metric values), no message data and no secret.
 * SNS encrypts at rest only with KMS, and CloudWatch cannot publish to a topic under the
 * AWS-managed {@code aws/sns} key (its key policy cannot grant {@code cloudwatch.amazonaws.com}),
 * so encryption would take a customer-managed key with that grant; the stack's other resources use
 * service-managed encryption (SQS-managed SSE, DynamoDB's default) and it has no key of its own.
 * Publishing is TLS-only (SNS3 holds).
 */
final class ReviewedNagFindings {

  private static final String XRAY =
      "X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions";

  private ReviewedNagFindings() {}

  static void apply(QueueDepthAutoscalerStack stack) {
    for (String function : List.of("QueueDepthScalerRuntime/Function", "Generator/Function")) {
      IConstruct fn =
          stack.getNode().findChild(function.split("/")[0]).getNode().findChild("Function");
      NagSuppressions.addResourceSuppressions(
          fn,
          List.of(
              suppress(
                  "AwsSolutions-L1",
                  "java21 is the runtime this project builds, tests and measures for (SnapStart"
                      + " included); moving to a newer Java runtime is a deliberate upgrade"),
              suppress(
                  "AwsSolutions-IAM4",
                  "AWSLambdaBasicExecutionRole only allows writing the function's logs"),
              suppress("AwsSolutions-IAM5", XRAY, "Resource::*")),
          true);
    }
    NagSuppressions.addResourceSuppressions(
        stack.getNode().findChild("QueueDepthScalerRuntime"),
        List.of(
            suppress(
                "AwsSolutions-IAM5",
                "GetParametersByPath reads every target under the scaler's own prefix: the prefix"
                    + " is the scope, and targets are added without redeploying the function",
                // The region and account are tokens, or the lookup's own with -c vpcId.
                RegexAppliesTo.builder()
                    .regex(
                        "/^Resource::arn:<AWS::Partition>:ssm:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12}):parameter\\/queue-scaler\\/\\*$/")
                    .build())),
        true);
    IConstruct task = stack.worker().getNode().findChild("Task");
    NagSuppressions.addResourceSuppressions(
        task,
        List.of(
            suppress(
                "AwsSolutions-ECS2",
                "the environment holds no secret: the queue URL, sizes and the metrics namespace"),
            suppress(
                "AwsSolutions-IAM5",
                "ecr:GetAuthorizationToken (execution role), cloudwatch:PutMetricData (limited to"
                    + " the worker's namespace by condition) and the X-Ray writes have no"
                    + " resource-level permissions",
                "Resource::*"),
            suppress(
                "AwsSolutions-IAM5",
                "task scale-in protection: a task protects itself, and task ARNs are only known"
                    + " at launch; the resource is limited to this cluster's tasks",
                RegexAppliesTo.builder()
                    .regex(
                        "/^Resource::arn:<AWS::Partition>:ecs:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12}):task\\/<[A-Za-z0-9]+>\\/\\*$/")
                    .build())),
        true);
  }

  private static NagPackSuppression suppress(String id, String reason, Object... appliesTo) {
    NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
    if (appliesTo.length > 0) {
      builder.appliesTo(List.of(appliesTo));
    }
    return builder.build();
  }
}
