/**
 * The Fargate worker: concurrent long-polling receive loops, concurrent processing through a
 * replaceable {@link dev.queuescaler.worker.MessageHandler}, batched deletes checked entry by
 * entry, visibility heartbeats for long work, ECS task scale-in protection while busy, and a
 * graceful shutdown on SIGTERM that leaves every message either deleted or visible again.
 */
package dev.queuescaler.worker;
