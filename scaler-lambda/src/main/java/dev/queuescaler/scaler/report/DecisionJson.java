package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.DecisionRecord;

/**
 * The decision line: one JSON object with exactly the fields {@code target, visible, inFlight,
 * delayed, backlog, current, running, pending, recommended, desired, action, reason, dryRun,
 * errors, time}, in that order. A contract: dashboards, the local run and the EventBridge event
 * read it.
 */
public final class DecisionJson {

  private DecisionJson() {}

  public static String line(DecisionRecord d) {
    return Json.object(
        json -> {
          json.writeStringField("target", d.target());
          json.writeNumberField("visible", d.visible());
          json.writeNumberField("inFlight", d.inFlight());
          json.writeNumberField("delayed", d.delayed());
          json.writeNumberField("backlog", d.backlog());
          json.writeNumberField("current", d.current());
          json.writeNumberField("running", d.running());
          json.writeNumberField("pending", d.pending());
          json.writeNumberField("recommended", d.recommended());
          json.writeNumberField("desired", d.desired());
          json.writeStringField("action", d.action().name());
          json.writeStringField("reason", d.reason().name());
          json.writeBooleanField("dryRun", d.dryRun());
          json.writeArrayFieldStart("errors");
          for (String error : d.errors()) {
            json.writeString(error);
          }
          json.writeEndArray();
          json.writeStringField("time", d.time().toString());
        });
  }
}
