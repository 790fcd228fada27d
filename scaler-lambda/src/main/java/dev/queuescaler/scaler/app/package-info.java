/**
 * The composition root shared by the Lambda handler and the CLI: settings from the environment, SDK
 * clients built once, adapters wired to the cycle.
 */
package dev.queuescaler.scaler.app;
