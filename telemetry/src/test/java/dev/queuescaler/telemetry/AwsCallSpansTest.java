package dev.queuescaler.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * In the Lambda, an AWS call made outside the cycle's span (the scaler's Parameter Store change
 * event: ScalerHandler records the change in DynamoDB before any span is open) hangs under the
 * function's segment and follows the invocation's sampling decision, as the X-Ray SDK puts it under
 * its Lambda context; it does not start a new, always-sampled trace of its own.
 */
class AwsCallSpansTest {

  private static final String FUNCTION_HEADER =
      "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=1";

  @AfterEach
  void clear() {
    System.clearProperty(OtelPipeline.LAMBDA_TRACE_PROPERTY);
  }

  @Test
  void aCallOutsideTheCycleInALambdaHangsUnderTheFunctionsSegment() {
    System.setProperty(OtelPipeline.LAMBDA_TRACE_PROPERTY, FUNCTION_HEADER);
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      failedCall(new AwsCallSpans(pipeline.tracer()));

      SpanData call = memory.getFinishedSpanItems().get(0);
      assertThat(call.getTraceId()).isEqualTo("6566f1b000112233445566778899aabb");
      assertThat(call.getParentSpanId()).isEqualTo("0f1e2d3c4b5a6978");
    }
  }

  @Test
  void aCallOutsideTheCycleFollowsTheFunctionsNotSampledDecision() {
    System.setProperty(
        OtelPipeline.LAMBDA_TRACE_PROPERTY,
        "Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;Sampled=0");
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    // Its root sampler takes every trace: only the function's decision can drop the span.
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      failedCall(new AwsCallSpans(pipeline.tracer()));

      assertThat(memory.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void aCallInsideASpanIsItsChildRatherThanTheFunctions() {
    System.setProperty(OtelPipeline.LAMBDA_TRACE_PROPERTY, FUNCTION_HEADER);
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (OtelPipeline pipeline = OtelPipeline.exportingEachSpanTo(memory, "svc", "scope")) {
      Span cycle = pipeline.tracer().spanBuilder("scaling-cycle").startSpan();
      try (Scope ignored = cycle.makeCurrent()) {
        failedCall(new AwsCallSpans(pipeline.tracer()));
      } finally {
        cycle.end();
      }

      SpanData call = memory.getFinishedSpanItems().get(0);
      assertThat(call.getParentSpanId()).isEqualTo(cycle.getSpanContext().getSpanId());
    }
  }

  private void failedCall(AwsCallSpans calls) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "DynamoDb");
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "UpdateItem");
    calls.beforeExecution(() -> null, attributes);
    Context.FailedExecution failed =
        (Context.FailedExecution)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Context.FailedExecution.class},
                (proxy, method, args) ->
                    method.getName().equals("exception")
                        ? new IllegalStateException("throttled")
                        : null);
    calls.onExecutionFailure(failed, attributes);
  }
}
