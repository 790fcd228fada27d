package dev.queuescaler.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Span attributes that X-Ray indexes as annotations (filterable: {@code annotation.action =
 * "SCALE_OUT"}). X-Ray turns an OpenTelemetry attribute into an annotation only when its key is
 * listed in the span's {@value #LIST} attribute; every other attribute becomes metadata, which no
 * filter expression reaches. Not thread-safe: one per span, on the thread that ends it.
 */
public final class XRayAnnotations {

  /** The attribute that lists the keys X-Ray indexes. */
  public static final String LIST = "aws.xray.annotations";

  private final Span span;
  private final List<String> keys = new ArrayList<>();

  private XRayAnnotations(Span span) {
    this.span = span;
  }

  public static XRayAnnotations on(Span span) {
    return new XRayAnnotations(span);
  }

  public XRayAnnotations put(String key, String value) {
    span.setAttribute(key, value);
    return listed(key);
  }

  public XRayAnnotations put(String key, long value) {
    span.setAttribute(key, value);
    return listed(key);
  }

  public XRayAnnotations put(String key, boolean value) {
    span.setAttribute(key, value);
    return listed(key);
  }

  private XRayAnnotations listed(String key) {
    if (!keys.contains(key)) {
      keys.add(key);
    }
    span.setAttribute(AttributeKey.stringArrayKey(LIST), List.copyOf(keys));
    return this;
  }
}
