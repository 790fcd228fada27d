/**
 * A virtual-clock simulation of an SQS queue, a Fargate fleet and the scaling policies that drive
 * it: our policy (the real {@code policy} code of the scaler, on its 60 s schedule) against models
 * of alarm-based step scaling, ECS target tracking and KEDA with the HPA, on the same traffic with
 * the same seed. One-second steps; AWS's stale counts, metric delays and task launch times
 * modelled.
 */
package dev.queuescaler.simulator;
