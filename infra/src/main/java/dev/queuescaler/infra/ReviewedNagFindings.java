package dev.queuescaler.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings this project accepts, each with the reason a reviewer would
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

  /**
   * The token, or an AWS partition as a literal: a stack with an explicit environment writes its
   * region's ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, {@code aws-iso}, {@code aws-iso-b},
   * {@code aws-eusc}, ...) with {@code @aws-cdk/core:enablePartitionLiterals}, a {@code cdk init}
   * default. Any partition: the resource after it is what each suppression limits.
   */
  private static final String PARTITION = "(<AWS::Partition>|aws(-[a-z]+)*)";

  /** Tokens, or a stack's own region and account (-c vpcId, or an explicit environment). */
  private static final String REGION_AND_ACCOUNT =
      "(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12})";

  private static final String XRAY =
      "X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions";

  private ReviewedNagFindings() {}

  /** The project's stack: the generator and the worker (the scaler carries its own). */
  static void apply(QueueDepthAutoscalerStack stack) {
    javaFunction(stack.getNode().findChild("Generator").getNode().findChild("Function"));
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
                        "/^Resource::arn:"
                            + PARTITION
                            + ":ecs:"
                            + REGION_AND_ACCOUNT
                            + ":task\\/<[A-Za-z0-9]+>\\/\\*$/")
                    .build())),
        true);
  }

  /**
   * A scaler runtime's, wherever it is built (so an app that runs cdk-nag on the construct sees
   * only what its own resources raise): its function, and the prefix it reads.
   */
  static void scalerRuntime(ScalerRuntime runtime) {
    javaFunction(runtime.function());
    String prefix = runtime.parameterPrefix().value().substring(1);
    NagSuppressions.addResourceSuppressions(
        runtime,
        List.of(
            suppress(
                "AwsSolutions-IAM5",
                "GetParametersByPath reads every target under the scaler's own prefix: the prefix"
                    + " is the scope, and targets are added without redeploying the function",
                RegexAppliesTo.builder()
                    .regex(
                        "/^Resource::arn:"
                            + PARTITION
                            + ":ssm:"
                            + REGION_AND_ACCOUNT
                            + ":parameter\\/"
                            + prefix.replace(".", "\\.").replace("/", "\\/")
                            + "\\/\\*$/")
                    .build()),
            suppress(
                "AwsSolutions-SQS3",
                "the change queue holds Parameter Store's change events until a cycle has read"
                    + " what they name: one that cannot be settled yet is still wanted and comes"
                    + " back until its retention (a day) ends, and the walk over the prefix finds"
                    + " its change anyway; a dead-letter queue would only hide it")),
        true);
  }

  /** A Java function of this project: runtime, managed policy, X-Ray. */
  private static void javaFunction(IConstruct function) {
    NagSuppressions.addResourceSuppressions(
        function,
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

  private static NagPackSuppression suppress(String id, String reason, Object... appliesTo) {
    NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
    if (appliesTo.length > 0) {
      builder.appliesTo(List.of(appliesTo));
    }
    return builder.build();
  }
}
