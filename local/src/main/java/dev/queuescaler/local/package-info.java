/**
 * The whole system on one machine: ElasticMQ as the queue, the generator's real code driving a load
 * profile, the worker's real code as local "tasks" behind the scaler's {@code ServiceScaler} port,
 * and the scaler's real cycle on a tick, tuned live through a properties file with the SSM key
 * names. A UDP listener on the X-Ray daemon port prints each decision trace.
 */
package dev.queuescaler.local;
