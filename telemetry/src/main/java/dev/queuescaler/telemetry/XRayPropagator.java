package dev.queuescaler.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The X-Ray trace header, {@code Root=1-6566f1b0-00112233445566778899aabb;Parent=0f1e2d3c4b5a6978;
 * Sampled=1}: what SQS carries as the {@code AWSTraceHeader} system attribute, what Lambda gives
 * each invocation, and what the X-Ray SDK writes and reads, so OpenTelemetry and X-Ray SDK
 * processes continue each other's traces.
 *
 * <p>Written here rather than taken from contrib: its newest release that resolves
 * (opentelemetry-aws-xray-propagator 1.55.0-alpha) calls {@code StringUtils.padLeft}, an internal
 * method that opentelemetry-api 1.68.0 no longer has, and fails with {@code NoSuchMethodError}.
 * Lineage and other keys are ignored, as the X-Ray SDK ignores them.
 */
public final class XRayPropagator implements TextMapPropagator {

  /** The HTTP header name; SQS's system attribute carries the same value. */
  public static final String HEADER = "X-Amzn-Trace-Id";

  private static final XRayPropagator INSTANCE = new XRayPropagator();

  private XRayPropagator() {}

  public static XRayPropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public List<String> fields() {
    return List.of(HEADER);
  }

  /** The header for {@code context}'s span; empty when it has no valid span. */
  public static Optional<String> header(Context context) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return Optional.empty();
    }
    return Optional.of(
        "Root="
            + XRayIdGenerator.xrayTraceId(span.getTraceId())
            + ";Parent="
            + span.getSpanId()
            + ";Sampled="
            + (span.isSampled() ? "1" : "0"));
  }

  /** The remote span a header names; empty when it is not a complete header. */
  public static Optional<SpanContext> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String traceId = null;
    String parentId = null;
    boolean sampled = false;
    for (String part : header.split(";")) {
      int equals = part.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String key = part.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = part.substring(equals + 1).strip();
      switch (key) {
        case "root" -> traceId = traceId(value);
        case "parent" -> parentId = value.toLowerCase(Locale.ROOT);
        case "sampled" -> sampled = value.equals("1");
        default -> {
          // Lineage, Self and the like are not part of the span's identity.
        }
      }
    }
    if (traceId == null || parentId == null || !SpanId.isValid(parentId)) {
      return Optional.empty();
    }
    return Optional.of(
        SpanContext.createFromRemoteParent(
            traceId,
            parentId,
            sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault()));
  }

  private static String traceId(String root) {
    // 1-<8 hex>-<24 hex>
    if (root.length() != 35 || !root.startsWith("1-") || root.charAt(10) != '-') {
      return null;
    }
    String id = (root.substring(2, 10) + root.substring(11)).toLowerCase(Locale.ROOT);
    return TraceId.isValid(id) ? id : null;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (carrier == null) {
      return;
    }
    header(context).ifPresent(value -> setter.set(carrier, HEADER, value));
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (carrier == null) {
      return context;
    }
    return parse(getter.get(carrier, HEADER))
        .map(parent -> context.with(Span.wrap(parent)))
        .orElse(context);
  }
}
