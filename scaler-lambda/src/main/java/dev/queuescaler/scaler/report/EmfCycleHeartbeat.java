package dev.queuescaler.scaler.report;

import java.io.PrintStream;
import java.time.Instant;

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
          json.writeObjectFieldStart("_aws");
          json.writeNumberField("Timestamp", at.toEpochMilli());
          json.writeArrayFieldStart("CloudWatchMetrics");
          json.writeStartObject();
          json.writeStringField("Namespace", namespace);
          // One empty dimension set: the metric is published without dimensions.
          json.writeArrayFieldStart("Dimensions");
          json.writeStartArray();
          json.writeEndArray();
          json.writeEndArray();
          json.writeArrayFieldStart("Metrics");
          json.writeStartObject();
          json.writeStringField("Name", METRIC);
          json.writeStringField("Unit", "Count");
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
          json.writeEndArray();
          json.writeEndObject();
          json.writeNumberField(METRIC, 1);
        });
  }
}
