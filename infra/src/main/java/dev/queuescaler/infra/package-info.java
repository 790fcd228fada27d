/**
 * The CDK v2 app: stack {@code QueueDepthAutoscaler} built from one construct per concern (the
 * queue, the worker service, the load generator, observability) and the reusable {@link
 * dev.queuescaler.infra.QueueDepthScaler} construct that adds queue-depth scaling to any ECS
 * service. The SSM keys and defaults come from the scaler's own {@code ParameterKey}.
 */
package dev.queuescaler.infra;
