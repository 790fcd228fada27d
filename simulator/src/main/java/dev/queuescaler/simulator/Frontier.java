package dev.queuescaler.simulator;

import dev.queuescaler.scaler.policy.ScalingFormula;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cost-latency frontier of every controller on one traffic: task-minutes against p99 age as the
 * shared target moves ({@code backlog-per-task} = KEDA's {@code queueLength} = target tracking's
 * target). Defaults compare settings; a frontier compares controllers: one is ahead where its curve
 * lies below the other's. The step policies have no target: one point each.
 */
final class Frontier {

  /** The grid every traffic is swept over. */
  static final List<Integer> TARGETS = List.of(3, 5, 10, 20, 40, 100, 200);

  /** The policies with a target, by their row in summary.csv. */
  static final List<String> WITH_TARGET =
      List.of("queue-scaler", "queue-scaler-backlog-per-task", "keda-hpa", "target-tracking");

  /** The policies without one. */
  static final List<String> WITHOUT_TARGET = List.of("cdk-queue-processing", "seed-alarm-step");

  /** The names users know, for tables and charts, by row of summary.csv. */
  static final Map<String, String> SYSTEMS = systems();

  private static Map<String, String> systems() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("queue-scaler", "queue-scaler");
    names.put("queue-scaler-backlog-per-task", "queue-scaler backlog-per-task");
    names.put("keda-hpa", "KEDA + HPA");
    names.put("target-tracking", "ECS target tracking");
    names.put("cdk-queue-processing", "CDK QueueProcessingFargateService steps");
    names.put("seed-alarm-step", "sqs-fargate-poller alarm");
    names.put("lower-bound", "lower bound");
    return names;
  }

  /**
   * One point: a system at a target (none for the step policies) on one draw.
   *
   * @param costRatio task-minutes over the lower bound at the SLO
   */
  record Point(
      String policy,
      OptionalInt target,
      double p99AgeSeconds,
      double taskMinutes,
      long scalingActions,
      double costRatio,
      double sloAttainment) {

    static final String CSV_HEADER =
        "seed,system,target,p99AgeSeconds,taskMinutes,scalingActions,costRatio,sloAttainment";

    String csvRow(long seed) {
      return String.format(
          Locale.ROOT,
          "%d,%s,%s,%.1f,%.1f,%d,%.3f,%.4f",
          seed,
          SYSTEMS.get(policy),
          target.isPresent() ? Integer.toString(target.getAsInt()) : "",
          p99AgeSeconds,
          taskMinutes,
          scalingActions,
          costRatio,
          sloAttainment);
    }
  }

  private Frontier() {}

  /**
   * Every system on {@code traffic} at every target, and the bound at the SLO as a point of its own
   * (its p99 is the SLO it is a bound for).
   *
   * @param ours our SSM keys and values (limits included); backlog-per-task is set per target
   */
  static List<Point> sweep(
      SimConfig config,
      Workload traffic,
      Map<String, String> ours,
      OurOptions options,
      List<Integer> targets) {
    Workload workload = traffic.withIdleLeadIn(Comparison.LEAD_IN_SECONDS);
    double bound = LowerBound.taskSeconds(config, workload, config.sloSeconds()) / 60;
    List<Point> points = new ArrayList<>();
    boolean first = true;
    for (int target : targets) {
      Map<String, String> params = new LinkedHashMap<>(ours);
      params.put("backlog-per-task", Integer.toString(target));
      Map<String, String> other = new LinkedHashMap<>(params);
      var formula = SimulatorCli.World.parameters(params);
      other.put(
          "policy",
          (formula.formula() == ScalingFormula.BACKLOG_PER_TASK
                  ? ScalingFormula.BACKLOG_AND_LOAD
                  : ScalingFormula.BACKLOG_PER_TASK)
              .key());
      for (Comparison.Entry entry :
          Comparison.policies(
              formula, Optional.of(SimulatorCli.World.parameters(other)), options)) {
        boolean withTarget = WITH_TARGET.contains(entry.name());
        if (!withTarget && !(first && WITHOUT_TARGET.contains(entry.name()))) {
          continue;
        }
        Results.PolicyResult r = new Simulation(config, workload, entry.controller().get()).run();
        points.add(
            new Point(
                entry.name(),
                withTarget ? OptionalInt.of(target) : OptionalInt.empty(),
                r.p99AgeSeconds(),
                r.taskMinutes(),
                r.scalingActions(),
                bound > 0 ? r.taskMinutes() / bound : 1,
                r.sloAttainment()));
      }
      first = false;
    }
    points.add(new Point("lower-bound", OptionalInt.empty(), config.sloSeconds(), bound, 0, 1, 1));
    return points;
  }
}
