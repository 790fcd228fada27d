package dev.queuescaler.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * One client span per AWS SDK call ({@code DynamoDb.GetItem}), a child of the span current on the
 * calling thread, with the attributes X-Ray reads to show it as an AWS call ({@code rpc.system =
 * aws-api}, {@code rpc.service}, {@code rpc.method}): what the X-Ray SDK's interceptor does with
 * subsegments. Retries are inside the one span.
 */
public final class AwsCallSpans implements ExecutionInterceptor {

  private static final ExecutionAttribute<Span> SPAN = new ExecutionAttribute<>("otel-span");
  private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

  private final Tracer tracer;

  public AwsCallSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    Span span =
        tracer
            .spanBuilder(service + "." + operation)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(RPC_SYSTEM, "aws-api")
            .setAttribute(RPC_SERVICE, service)
            .setAttribute(RPC_METHOD, operation)
            .startSpan();
    attributes.putAttribute(SPAN, span);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Span span = attributes.getAttribute(SPAN);
    if (span != null) {
      span.setAttribute("http.response.status_code", (long) context.httpResponse().statusCode());
      span.end();
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    Span span = attributes.getAttribute(SPAN);
    if (span != null) {
      span.recordException(context.exception());
      span.setStatus(StatusCode.ERROR, context.exception().getClass().getSimpleName());
      span.end();
    }
  }
}
