/**
 * How decisions are told: the decision line (one JSON object per target per cycle), CloudWatch
 * Embedded Metric Format lines (per target, and the heartbeat of each completed cycle), and the
 * operator's structured log lines. Formatting only; where the lines go (stdout in the Lambda;
 * stdout and stderr apart in the CLI) is the entry point's choice.
 */
package dev.queuescaler.scaler.report;
