package dev.queuescaler.simulator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A grid search over our tunables (backlog-per-task, stabilization, cooldown, scale-out step): the
 * cheapest setting, in task-minutes, whose SLO attainment meets the target.
 */
final class Tuning {

  private Tuning() {}

  record Outcome(String table, Optional<Map<String, String>> best) {}

  static final int[] BACKLOG_PER_TASK = {10, 25, 50, 100, 200};
  static final int[] STABILIZATION = {60, 180, 300, 600};
  static final int[] COOLDOWN = {0, 120};
  static final int[] OUT_STEP = {0, 4};

  static Outcome search(
      SimConfig config, Workload workload, Map<String, String> fixed, double sloTarget) {
    StringBuilder table = new StringBuilder();
    table.append(
        "| backlog-per-task | scale-in-stabilization-seconds | scale-out-cooldown-seconds |"
            + " max-scale-out-step | within SLO | p99 age s | task-min | actions |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    Map<String, String> best = null;
    double bestCost = Double.MAX_VALUE;
    for (int perTask : BACKLOG_PER_TASK) {
      for (int window : STABILIZATION) {
        for (int cooldown : COOLDOWN) {
          for (int step : OUT_STEP) {
            Map<String, String> params = new LinkedHashMap<>(fixed);
            params.put("backlog-per-task", Integer.toString(perTask));
            params.put("scale-in-stabilization-seconds", Integer.toString(window));
            params.put("scale-out-cooldown-seconds", Integer.toString(cooldown));
            params.put("max-scale-out-step", Integer.toString(step));
            Results.PolicyResult r =
                new Simulation(
                        config,
                        workload,
                        new QueueScalerController(SimulatorCli.World.parameters(params)))
                    .run();
            boolean meets = r.sloAttainment() >= sloTarget;
            table.append(
                String.format(
                    Locale.ROOT,
                    "| %d | %d | %d | %d | %.2f %%%s | %.0f | %.0f | %d |%n",
                    perTask,
                    window,
                    cooldown,
                    step,
                    100 * r.sloAttainment(),
                    meets ? "" : " (no)",
                    r.p99AgeSeconds(),
                    r.taskMinutes(),
                    r.scalingActions()));
            if (meets && r.taskMinutes() < bestCost) {
              bestCost = r.taskMinutes();
              best = params;
            }
          }
        }
      }
    }
    return new Outcome(table.toString(), Optional.ofNullable(best));
  }
}
