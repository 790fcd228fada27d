package dev.queuescaler.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * What every Lambda function of this project shares: the java21 runtime, the shaded jar as code,
 * X-Ray active tracing and a log group kept 30 days. Callers add sizes, environment and the rest.
 */
final class JavaFunctions {

  private JavaFunctions() {}

  /** A builder for {@code scope}'s {@code Function}, with its {@code Logs} group created. */
  static Function.Builder builder(Construct scope, String handler, String jarPath) {
    LogGroup logs =
        LogGroup.Builder.create(scope, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    return Function.Builder.create(scope, "Function")
        .runtime(Runtime.JAVA_21)
        .handler(handler)
        .code(Code.fromAsset(jarPath))
        .tracing(Tracing.ACTIVE)
        .logGroup(logs);
  }
}
