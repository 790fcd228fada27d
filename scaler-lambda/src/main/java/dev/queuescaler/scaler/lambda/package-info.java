/** The Lambda entry point: a thin handler over the shared composition root. */
package dev.queuescaler.scaler.lambda;
