/**
 * The tracing edge: the cycle's {@link dev.queuescaler.scaler.cycle.Tracing} port recorded by the
 * X-Ray SDK ({@link dev.queuescaler.scaler.tracing.XRayTracing}, in maintenance mode, end of
 * support 2027-02-25) or by OpenTelemetry ({@link dev.queuescaler.scaler.tracing.OtelTracing}),
 * with the spans of each AWS SDK call beneath, and {@link
 * dev.queuescaler.scaler.tracing.ChosenTracer}, which builds the one that {@code TRACING} names.
 */
package dev.queuescaler.scaler.tracing;
