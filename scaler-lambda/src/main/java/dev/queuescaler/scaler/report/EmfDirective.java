package dev.queuescaler.scaler.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One entry of an Embedded Metric Format line's {@code _aws.CloudWatchMetrics}: which of the line's
 * fields CloudWatch publishes as metrics, in which namespace, under which dimension names (none:
 * the metric is published without dimensions).
 *
 * @param namespace the CloudWatch namespace
 * @param dimensions the dimension names of the one dimension set, possibly none
 * @param units each metric's unit, by field name, in the order written
 */
record EmfDirective(String namespace, List<String> dimensions, Map<String, String> units) {

  EmfDirective {
    dimensions = List.copyOf(dimensions);
  }

  /** Writes {@code _aws} with these directives, timestamped {@code epochMillis}. */
  static void writeMetadata(JsonGenerator json, long epochMillis, List<EmfDirective> directives)
      throws IOException {
    json.writeObjectFieldStart("_aws");
    json.writeNumberField("Timestamp", epochMillis);
    json.writeArrayFieldStart("CloudWatchMetrics");
    for (EmfDirective directive : directives) {
      directive.write(json);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private void write(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("Namespace", namespace);
    json.writeArrayFieldStart("Dimensions");
    json.writeStartArray();
    for (String dimension : dimensions) {
      json.writeString(dimension);
    }
    json.writeEndArray();
    json.writeEndArray();
    json.writeArrayFieldStart("Metrics");
    for (Map.Entry<String, String> metric : units.entrySet()) {
      json.writeStartObject();
      json.writeStringField("Name", metric.getKey());
      json.writeStringField("Unit", metric.getValue());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
