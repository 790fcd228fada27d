package dev.queuescaler.scaler.report;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The heartbeat as one Embedded Metric Format line: {@value #METRIC} = 1 in the scaler's namespace,
 * with no dimension, since it is the function's and not a target's (a cycle with no target still
 * beats).
 */
public final class EmfCycleHeartbeat implements CycleHeartbeat {

  /** The metric the stack's heartbeat alarm watches (Sum per minute, below 1 is a stop). */
  public static final String METRIC = "CyclesCompleted";

  private final PrintStream out;
  private final String namespace;

  public EmfCycleHeartbeat(PrintStream out, String namespace) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("SCALER_METRICS_NAMESPACE must not be blank");
    }
    this.out = out;
    this.namespace = namespace;
  }

  @Override
  public void cycleCompleted(Instant at) {
    out.println(line(at));
    out.flush();
  }

  String line(Instant at) {
    return Json.object(
        json -> {
          // An empty dimension set: the metric is published without dimensions.
          EmfDirective.writeMetadata(
              json,
              at.toEpochMilli(),
              List.of(new EmfDirective(namespace, List.of(), Map.of(METRIC, "Count"))));
          json.writeNumberField(METRIC, 1);
        });
  }
}
