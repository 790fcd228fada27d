package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.DecisionSink;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Prints each decision line, whole, on its stream: {@code level} ({@code INFO}; {@code WARN} when a
 * read failed; {@code ERROR} when the target's cycle failed), the decision's fields ({@link
 * DecisionJson}), then {@code requestId} and {@code traceId} ({@code 1-...}, X-Ray's format in
 * either tracer), each {@code null} when there is none, then {@code lateLanding}: {@code null}, or
 * the earlier scale this sample saw landed late and announced ({@link DecisionJson#lateLanding}).
 * Lines below the log level are not written.
 */
public final class DecisionLineSink implements DecisionSink {

  private final PrintStream out;
  private final LogLevel threshold;
  private final LogCorrelation correlation;

  public DecisionLineSink(PrintStream out, LogLevel threshold, LogCorrelation correlation) {
    this.out = out;
    this.threshold = threshold;
    this.correlation = correlation;
  }

  /** Every line, with no request and no trace: for tests and the local run. */
  public DecisionLineSink(PrintStream out) {
    this(out, LogLevel.INFO, LogCorrelation.none());
  }

  /** The level of {@code outcome}'s line. */
  public static LogLevel level(TargetOutcome outcome) {
    if (!outcome.completed()) {
      return LogLevel.ERROR;
    }
    return outcome.decision().errors().isEmpty() ? LogLevel.INFO : LogLevel.WARN;
  }

  @Override
  public void accept(TargetOutcome outcome) {
    LogLevel level = level(outcome);
    if (!threshold.admits(level)) {
      return;
    }
    out.println(
        Json.object(
            json -> {
              json.writeStringField("level", level.name());
              DecisionJson.fields(json, outcome.decision());
              text(json, "requestId", correlation.requestId());
              text(json, "traceId", correlation.traceId());
              DecisionJson.lateLanding(json, outcome.lateLanding());
            }));
    out.flush();
  }

  static void text(
      com.fasterxml.jackson.core.JsonGenerator json, String field, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      json.writeStringField(field, value.get());
    } else {
      json.writeNullField(field);
    }
  }
}
