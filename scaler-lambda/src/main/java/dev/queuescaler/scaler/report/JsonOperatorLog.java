package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.OperatorLog;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Operator log lines as JSON: {@code {"time":..., "level":"WARN", "logger":"queue-scaler",
 * "message":..., "requestId":..., "traceId":...}}. Lines below the log level are not written.
 */
public final class JsonOperatorLog implements OperatorLog {

  private final PrintStream out;
  private final Clock clock;
  private final LogLevel threshold;
  private final LogCorrelation correlation;

  public JsonOperatorLog(
      PrintStream out, Clock clock, LogLevel threshold, LogCorrelation correlation) {
    this.out = out;
    this.clock = clock;
    this.threshold = threshold;
    this.correlation = correlation;
  }

  /** Every line, with no request and no trace: for tests and the local run. */
  public JsonOperatorLog(PrintStream out, Clock clock) {
    this(out, clock, LogLevel.INFO, LogCorrelation.none());
  }

  @Override
  public void info(String message) {
    write(LogLevel.INFO, message);
  }

  @Override
  public void warn(String message) {
    write(LogLevel.WARN, message);
  }

  @Override
  public void error(String message) {
    write(LogLevel.ERROR, message);
  }

  private void write(LogLevel level, String message) {
    if (!threshold.admits(level)) {
      return;
    }
    out.println(
        Json.object(
            json -> {
              json.writeStringField("time", clock.instant().toString());
              json.writeStringField("level", level.name());
              json.writeStringField("logger", "queue-scaler");
              json.writeStringField("message", message);
              DecisionLineSink.text(json, "requestId", correlation.requestId());
              DecisionLineSink.text(json, "traceId", correlation.traceId());
            }));
    out.flush();
  }
}
