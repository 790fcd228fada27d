package dev.queuescaler.generator;

import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The generator's tracing: a span per batch, a span per SQS call, and the {@code AWSTraceHeader}
 * each message carries (X-Ray's format, whichever tracer) so the worker continues the trace. Built
 * once per process; {@code TRACING} chooses {@link XRayGeneratorTracing} or {@link
 * OtelGeneratorTracing}.
 */
interface GeneratorTracing extends AutoCloseable {

  /** The CLI's root span (segment). */
  String CLI_SEGMENT = "queue-generator";

  /** The Lambda invocation's span (subsegment), beneath the function's segment. */
  String INVOCATION = "generate";

  /** For the SQS client: a span per call beneath the current one. */
  List<ExecutionInterceptor> sdkInterceptors();

  /** Runs {@code work} as a trace's root (the CLI has no enclosing segment). */
  <T> T inSegment(Callable<T> work) throws Exception;

  /** Runs {@code work} beneath the Lambda function's segment. */
  <T> T inInvocation(Callable<T> work) throws Exception;

  /**
   * Runs one batch in a {@code send-batch} span; {@code work} receives the trace header the batch's
   * messages carry (empty when there is no trace).
   */
  <T> T inBatch(Function<Optional<String>, T> work);

  /** Hands the current trace to a pool thread. */
  <T> Callable<T> carryOver(Callable<T> task);

  /** Sends what is batched before a Lambda invocation returns; whether it all left in time. */
  default boolean flush() {
    return true;
  }

  @Override
  default void close() {}

  /** No traces and no header. */
  GeneratorTracing NONE =
      new GeneratorTracing() {
        @Override
        public List<ExecutionInterceptor> sdkInterceptors() {
          return List.of();
        }

        @Override
        public <T> T inSegment(Callable<T> work) throws Exception {
          return work.call();
        }

        @Override
        public <T> T inInvocation(Callable<T> work) throws Exception {
          return work.call();
        }

        @Override
        public <T> T inBatch(Function<Optional<String>, T> work) {
          return work.apply(Optional.empty());
        }

        @Override
        public <T> Callable<T> carryOver(Callable<T> task) {
          return task;
        }
      };

  /** Segments to the X-Ray daemon at {@code host:port}. */
  static GeneratorTracing xray(String daemonAddress) {
    return new XRayGeneratorTracing(XRayGeneratorTracing.recorder(daemonAddress));
  }

  /** What {@code TRACING} chooses, from the standard variables; a bad value fails naming it. */
  static GeneratorTracing chosen(Map<String, String> env) {
    return switch (TracingChoice.fromEnvironment(env)) {
      case XRAY -> xray(env.getOrDefault("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"));
      case OTEL ->
          new OtelGeneratorTracing(
              OtelPipeline.exportingTo(
                  OtelSettings.fromEnvironment(env, CLI_SEGMENT), OtelGeneratorTracing.SCOPE));
      case OFF -> NONE;
    };
  }
}
