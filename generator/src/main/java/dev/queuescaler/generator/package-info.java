/**
 * The load generator: puts random work messages on the queue, ten per SendMessageBatch with several
 * calls in flight, in a fixed count or following a shape over time (sine, square, ramp), from a
 * Lambda handler or the command line. Traced with X-Ray so that each message carries an {@code
 * AWSTraceHeader} and the worker's segments join the generator's trace.
 */
package dev.queuescaler.generator;
