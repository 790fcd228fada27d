/** The command line: {@code once [--dry-run] [--target NAME]}, the Lambda's code path. */
package dev.queuescaler.scaler.cli;
