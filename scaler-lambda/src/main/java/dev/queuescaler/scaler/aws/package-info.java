/**
 * AWS adapters for the cycle's ports, one small class per port, and the factory that builds the SDK
 * clients once per container: url-connection HTTP client, explicit timeouts, standard retry mode,
 * region, credentials and endpoints from the SDK's standard settings.
 */
package dev.queuescaler.scaler.aws;
