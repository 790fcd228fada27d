/**
 * One scaling cycle over narrow ports: read the parameters, the queue and the service, decide with
 * the pure policy, record, act, report. The ports ({@link dev.queuescaler.scaler.cycle.QueueProbe},
 * {@link dev.queuescaler.scaler.cycle.ServiceScaler}, ...) have AWS adapters for the Lambda and the
 * CLI and local or in-memory twins for the local run and the tests. Nothing here imports an SDK.
 */
package dev.queuescaler.scaler.cycle;
