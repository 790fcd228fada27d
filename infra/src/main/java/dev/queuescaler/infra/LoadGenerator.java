package dev.queuescaler.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The generator Lambda (active tracing, so its messages carry {@code AWSTraceHeader}), invocable by
 * hand, and an optional every-minute schedule with a sine profile (context {@code
 * generatorSchedule}, off by default).
 */
public final class LoadGenerator extends Construct {

  public static final String HANDLER = "dev.queuescaler.generator.GeneratorHandler::handleRequest";
  public static final String DEFAULT_JAR = "../generator/target/generator.jar";
  public static final String SCHEDULED_PROFILE =
      "{\"profile\":{\"shape\":\"sine\",\"min\":0,\"max\":2000,\"periodMinutes\":60},"
          + "\"workMillis\":200}";

  private final Function function;

  public LoadGenerator(
      Construct scope, String id, IQueue queue, String jarPath, boolean everyMinute) {
    super(scope, id);
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    function =
        Function.Builder.create(this, "Function")
            .runtime(Runtime.JAVA_21)
            .handler(HANDLER)
            .code(Code.fromAsset(jarPath))
            .memorySize(1024)
            .timeout(Duration.minutes(5))
            .tracing(Tracing.ACTIVE)
            .logGroup(logs)
            .environment(Map.of("QUEUE_URL", queue.getQueueUrl()))
            .description("Puts random work messages on the queue (load generator)")
            .build();
    queue.grantSendMessages(function);

    if (everyMinute) {
      Role role =
          Role.Builder.create(this, "ScheduleRole")
              .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
              .build();
      function.grantInvoke(role);
      CfnSchedule.Builder.create(this, "EveryMinute")
          .scheduleExpression("rate(1 minute)")
          .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
          .target(
              CfnSchedule.TargetProperty.builder()
                  .arn(function.getFunctionArn())
                  .roleArn(role.getRoleArn())
                  .input(SCHEDULED_PROFILE)
                  .retryPolicy(
                      CfnSchedule.RetryPolicyProperty.builder()
                          .maximumRetryAttempts(0)
                          .maximumEventAgeInSeconds(60)
                          .build())
                  .build())
          .build();
    }
  }

  public Function function() {
    return function;
  }
}
