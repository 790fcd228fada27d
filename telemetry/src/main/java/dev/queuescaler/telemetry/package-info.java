/**
 * Which tracer a process uses ({@link dev.queuescaler.telemetry.TracingChoice}, from {@code
 * TRACING}) and the OpenTelemetry SDK as every entry point builds it: X-Ray trace ids and the X-Ray
 * propagation format (so the X-Ray console stitches producer and consumer), OTLP/HTTP protobuf to
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, and span attributes that X-Ray indexes as annotations. The
 * X-Ray SDK adapters stay in their modules until its end of support (2027-02-25).
 */
package dev.queuescaler.telemetry;
