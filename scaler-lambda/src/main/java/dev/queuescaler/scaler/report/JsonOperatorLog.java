package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.OperatorLog;
import java.io.PrintStream;
import java.time.Clock;

/** Operator log lines as JSON: {@code {"time":..., "level":"WARN", "message":...}}. */
public final class JsonOperatorLog implements OperatorLog {

  private final PrintStream out;
  private final Clock clock;

  public JsonOperatorLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void info(String message) {
    write("INFO", message);
  }

  @Override
  public void warn(String message) {
    write("WARN", message);
  }

  @Override
  public void error(String message) {
    write("ERROR", message);
  }

  private void write(String level, String message) {
    out.println(
        Json.object(
            json -> {
              json.writeStringField("time", clock.instant().toString());
              json.writeStringField("level", level);
              json.writeStringField("logger", "queue-scaler");
              json.writeStringField("message", message);
            }));
    out.flush();
  }
}
