package dev.queuescaler.scaler.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.LateLanding;
import java.io.IOException;
import java.util.Optional;

/**
 * The decision: one JSON object with exactly the fields {@code target, visible, inFlight, delayed,
 * backlog, current, running, pending, recommended, desired, action, reason, dryRun, errors, time},
 * in that order, as the EventBridge event's detail; the decision line wraps the same fields in
 * {@code level} and {@code requestId, traceId} ({@link DecisionLineSink}). A contract: dashboards,
 * the local run and the EventBridge event read it. A value that was not read (the queue or the
 * service was unreadable) is {@code null}, never 0; {@code errors} says which reads failed.
 */
public final class DecisionJson {

  private DecisionJson() {}

  public static String line(DecisionRecord d) {
    return Json.object(json -> fields(json, d));
  }

  /**
   * The EventBridge event's detail: the decision's fields, then {@code prefix}, the parameter
   * prefix of the scaler that decided, then {@code landedLate}: true when the event announces an
   * earlier sample's scale that ECS applied after that sample read it back ({@link
   * DecisionRecord#landedLate}), false for every other. Added after the others, so a reader of the
   * fields before is unaffected.
   */
  public static String eventDetail(DecisionRecord d, String prefix) {
    return Json.object(
        json -> {
          fields(json, d);
          json.writeStringField("prefix", prefix);
          json.writeBooleanField("landedLate", d.landedLate());
        });
  }

  /**
   * The decision line's {@code lateLanding}: {@code null}, or the earlier sample's scale this one
   * saw landed late and announced: {@code action, reason, current} (the count it was decided from),
   * {@code desired} and {@code decidedAt} (when that sample decided it).
   */
  static void lateLanding(JsonGenerator json, Optional<LateLanding> late) throws IOException {
    if (late.isEmpty()) {
      json.writeNullField("lateLanding");
      return;
    }
    DecisionRecord d = late.get().announcement();
    json.writeObjectFieldStart("lateLanding");
    json.writeStringField("action", d.action().name());
    json.writeStringField("reason", d.reason().name());
    number(json, "current", d.current());
    number(json, "desired", d.desired());
    json.writeStringField("decidedAt", late.get().decidedAt().toString());
    json.writeEndObject();
  }

  /** The decision's fields, in the contract's order, into an object being written. */
  static void fields(JsonGenerator json, DecisionRecord d) throws IOException {
    json.writeStringField("target", d.target());
    number(json, "visible", d.visible());
    number(json, "inFlight", d.inFlight());
    number(json, "delayed", d.delayed());
    number(json, "backlog", d.backlog());
    number(json, "current", d.current());
    number(json, "running", d.running());
    number(json, "pending", d.pending());
    number(json, "recommended", d.recommended());
    number(json, "desired", d.desired());
    json.writeStringField("action", d.action().name());
    json.writeStringField("reason", d.reason().name());
    json.writeBooleanField("dryRun", d.dryRun());
    json.writeArrayFieldStart("errors");
    for (String error : d.errors()) {
      json.writeString(error);
    }
    json.writeEndArray();
    json.writeStringField("time", d.time().toString());
  }

  private static void number(JsonGenerator json, String field, Optional<? extends Number> value)
      throws IOException {
    if (value.isPresent()) {
      json.writeNumberField(field, value.get().longValue());
    } else {
      json.writeNullField(field);
    }
  }
}
