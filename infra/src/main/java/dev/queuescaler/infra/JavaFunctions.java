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
 * X-Ray active tracing (Lambda's segment is the parent of the code's spans, whichever tracer
 * records them), Lambda's logging configuration (JSON lines, the {@link TelemetrySettings}' level)
 * and a log group kept 30 days. Callers add sizes, environment and the rest, then {@link #traced}.
 * The settings are the caller's: nothing here reads the app's context.
 */
final class JavaFunctions {

  private JavaFunctions() {}

  /** A builder for {@code scope}'s {@code Function}, with its {@code Logs} group created. */
  static Function.Builder builder(
      Construct scope, String handler, String jarPath, TelemetrySettings telemetry) {
    LogGroup logs =
        LogGroup.Builder.create(scope, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    return telemetry.logging(
        Function.Builder.create(scope, "Function")
            .runtime(Runtime.JAVA_21)
            .handler(handler)
            .code(Code.fromAsset(jarPath))
            .tracing(Tracing.ACTIVE)
            .logGroup(logs));
  }

  /**
   * Adds the settings' tracer ({@code TRACING}) to a built function and, with OpenTelemetry, the
   * collector layer its spans leave through.
   */
  static Function traced(Function function, TelemetrySettings telemetry) {
    telemetry.traceFunction(function);
    return function;
  }
}
