package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.DecisionSink;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metrics as Embedded Metric Format log lines (no API call, no extra latency): one line
 * per target per cycle, dimension {@code Target}. Only what was read is published: an unreadable
 * queue publishes no Backlog, an unreadable service no DesiredTasks or RunningTasks (a 0 there
 * would look like an empty queue or a stopped service), and a line whose desired count is unknown
 * (an UpdateService of unknown outcome) no DesiredTasks. ScalingActions counts the line's scale and
 * the earlier one it announces as landed late, if any ({@link TargetOutcome#lateLanding}). Errors
 * counts the line's errors entries other than configuration problems: one per failed call, and one
 * per note of a hold or of what a failure left (docs/operating.md).
 */
public final class EmfMetricsSink implements DecisionSink {

  public static final String DEFAULT_NAMESPACE = "QueueScaler";

  /** The metrics and their units, in the order they are written. */
  public static final List<String> METRICS =
      List.of(
          "Backlog",
          "DesiredTasks",
          "RunningTasks",
          "ScalingActions",
          "ConfigErrors",
          "Errors",
          "CycleMillis");

  private final PrintStream out;
  private final String namespace;

  public EmfMetricsSink(PrintStream out, String namespace) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("SCALER_METRICS_NAMESPACE must not be blank");
    }
    this.out = out;
    this.namespace = namespace;
  }

  @Override
  public void accept(TargetOutcome outcome) {
    out.println(line(outcome));
    out.flush();
  }

  /**
   * The line's metrics by target, and ConfigErrors again without a dimension: one alarm then covers
   * every target under the prefix, those added by hand or renamed included.
   */
  private List<EmfDirective> directives(Map<String, Number> values) {
    Map<String, String> units = new LinkedHashMap<>();
    for (String metric : METRICS) {
      if (values.containsKey(metric)) {
        units.put(metric, metric.equals("CycleMillis") ? "Milliseconds" : "Count");
      }
    }
    return List.of(
        new EmfDirective(namespace, List.of("Target"), units),
        new EmfDirective(namespace, List.of(), Map.of("ConfigErrors", "Count")));
  }

  String line(TargetOutcome outcome) {
    DecisionRecord d = outcome.decision();
    boolean acted = d.action() != Action.HOLD && !d.dryRun();
    int errors = Math.max(0, d.errors().size() - outcome.configErrors());
    Map<String, Number> values = new LinkedHashMap<>();
    d.backlog().ifPresent(backlog -> values.put("Backlog", backlog));
    d.desired().ifPresent(desired -> values.put("DesiredTasks", desired));
    d.running().ifPresent(running -> values.put("RunningTasks", running));
    // An earlier sample's scale that landed late is counted by the sample that announces it.
    values.put("ScalingActions", (acted ? 1 : 0) + (outcome.lateLanding().isPresent() ? 1 : 0));
    values.put("ConfigErrors", outcome.configErrors());
    values.put("Errors", errors);
    values.put("CycleMillis", outcome.cycleMillis());
    return Json.object(
        json -> {
          EmfDirective.writeMetadata(json, d.time().toEpochMilli(), directives(values));
          json.writeStringField("Target", d.target());
          for (Map.Entry<String, Number> value : values.entrySet()) {
            json.writeNumberField(value.getKey(), value.getValue().longValue());
          }
        });
  }
}
