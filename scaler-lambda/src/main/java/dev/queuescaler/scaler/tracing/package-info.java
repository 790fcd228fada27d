/**
 * The X-Ray edge: the recorder, the SDK interceptor that makes a subsegment per AWS call, and the
 * cycle's {@link dev.queuescaler.scaler.cycle.Tracing} port. The X-Ray SDK is in maintenance mode
 * (end of support 2027-02-25); moving to OpenTelemetry replaces this package only.
 */
package dev.queuescaler.scaler.tracing;
