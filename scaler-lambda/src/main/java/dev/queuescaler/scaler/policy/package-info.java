/**
 * The scaling decision as a pure function: parameters, a queue snapshot, a service snapshot, the
 * recent history and the current instant in; a desired task count with its action and reason out.
 *
 * <p>No I/O, no clock, no AWS type: the Lambda, the CLI, the local run and the simulator all drive
 * this same code. An architecture test keeps it that way.
 */
package dev.queuescaler.scaler.policy;
