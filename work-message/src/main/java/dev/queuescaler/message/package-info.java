/**
 * The message format of the simulated workload: {@code {"id": "<uuid>", "workMillis": <int >= 0>,
 * "fail": <bool>, "payload": "<random text>"}}. The generator writes it, the worker's default
 * handler reads it.
 */
package dev.queuescaler.message;
