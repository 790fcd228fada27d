package dev.queuescaler.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.constructs.Construct;

/**
 * An EventBridge Scheduler schedule that invokes a function (or alias) every minute with a fixed
 * input, through a role that may invoke only it (not its other versions or aliases). A tick is
 * worth one minute, and a late or retried one would only run beside the next, so nothing retries
 * it: not the Scheduler (its retry policy), and not Lambda either. The Scheduler invokes
 * asynchronously, and Lambda retries a failed asynchronous invocation twice by default unless the
 * function (or alias) has an event invoke config; so both get 0 retries and a 60 s maximum event
 * age.
 */
final class EveryMinuteSchedule extends Construct {

  EveryMinuteSchedule(
      Construct scope, String id, IFunction target, String input, String description) {
    super(scope, id);
    Role role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
            .build();
    // Only what the schedule invokes. grantInvoke would also allow every version and alias of a
    // function ("<arn>:*"), which a schedule on the unqualified function never needs.
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("lambda:InvokeFunction"))
            .resources(List.of(target.getFunctionArn()))
            .build());
    target.configureAsyncInvoke(
        EventInvokeConfigOptions.builder()
            .retryAttempts(0)
            .maxEventAge(Duration.seconds(60))
            .build());
    CfnSchedule.Builder.create(this, "Schedule")
        .description(description)
        .scheduleExpression("rate(1 minute)")
        .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
        .target(
            CfnSchedule.TargetProperty.builder()
                .arn(target.getFunctionArn())
                .roleArn(role.getRoleArn())
                .input(input)
                .retryPolicy(
                    CfnSchedule.RetryPolicyProperty.builder()
                        .maximumRetryAttempts(0)
                        .maximumEventAgeInSeconds(60)
                        .build())
                .build())
        .build();
  }
}
