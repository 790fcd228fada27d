package dev.queuescaler.simulator;

import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every policy on the same workload and seed, after the same idle lead-in, plus the lower bound.
 * Fairness: the same min/max tasks for all; where a policy has a target (KEDA's queueLength, target
 * tracking's backlog per task) it is our backlog-per-task; the step policies keep their documented
 * steps.
 */
final class Comparison {

  /** A named way to build a fresh controller. */
  record Entry(String name, Supplier<Controller> controller) {}

  private Comparison() {}

  static List<Entry> policies(ScalingParameters ours) {
    return policies(ours, Optional.empty(), QueueScalerController.DEFAULT_SAMPLING);
  }

  /**
   * Ours, then (when given) our other formula with the same settings as a row of its own ({@code
   * queue-scaler-<formula>}), then the alternatives.
   */
  static List<Entry> policies(
      ScalingParameters ours, Optional<ScalingParameters> other, SamplingPlan sampling) {
    return policies(ours, other, OurOptions.sampling(sampling));
  }

  /** The same, with our controller reading the queue as {@code options} say. */
  static List<Entry> policies(
      ScalingParameters ours, Optional<ScalingParameters> other, OurOptions options) {
    int target = ours.backlogPerTask();
    List<Entry> entries = new ArrayList<>();
    entries.add(
        new Entry("queue-scaler", () -> new QueueScalerController("queue-scaler", ours, options)));
    other.ifPresent(
        formula -> {
          String name = QueueScalerController.rowName(formula.formula());
          entries.add(new Entry(name, () -> new QueueScalerController(name, formula, options)));
        });
    entries.addAll(alternatives(target));
    return entries;
  }

  private static List<Entry> alternatives(int target) {
    return List.of(
        new Entry("seed-alarm-step", AlarmStepsAndCpuController::seedAsDeployed),
        new Entry("cdk-queue-processing", AlarmStepController::cdkQueueProcessing),
        new Entry("cdk-queue-processing-as-shipped", AlarmStepsAndCpuController::cdkAsShipped),
        new Entry("target-tracking", () -> new TargetTrackingController(target)),
        new Entry("target-tracking-min1", () -> TargetTrackingController.withMinimumOne(target)),
        new Entry("keda-hpa", () -> new KedaHpaController(target)));
  }

  static List<Results.PolicyResult> run(
      SimConfig config, Workload traffic, List<Entry> entries, List<String> settingsOut) {
    // Every policy gets the same idle history before the traffic.
    Workload workload =
        traffic.leadInSeconds() > 0 ? traffic : traffic.withIdleLeadIn(LEAD_IN_SECONDS);
    Results.PolicyResult bound = lowerBound(config, workload);
    double reference = bound.taskMinutes();
    List<Results.PolicyResult> results = new ArrayList<>();
    for (Entry entry : entries) {
      Controller controller = entry.controller().get();
      settingsOut.add(controller.name() + ": " + controller.settings());
      results.add(new Simulation(config, workload, controller).run().withCostRatio(reference));
    }
    settingsOut.add(
        "clairvoyant: knows the future; the cheapest of oracle fleets (smoothing horizons "
            + ClairvoyantController.HORIZONS
            + " s) that starts every message within the SLO (else the most): a feasible schedule,"
            + " not a bound");
    results.add(ClairvoyantController.cheapest(config, workload).withCostRatio(reference));
    int peak = LowerBound.peakTasks(config, workload, config.sloSeconds());
    settingsOut.add(
        "lower-bound: no fleet that starts every message within the SLO costs less (same launch"
            + " delay, billing minimum and slots per task; every cost is a ratio to it)"
            + (peak > config.maxTasks()
                ? "; here no fleet within max-tasks can: "
                    + peak
                    + " tasks would have to run at once, so the bound is taken at max-tasks"
                : ""));
    results.add(bound.withCostRatio(reference));
    return results;
  }

  /** Idle minutes before every run's traffic (see {@link Workload#withIdleLeadIn}). */
  static final int LEAD_IN_SECONDS = 600;

  /** The bound at the SLO, as a row: its task-minutes, and no age (it schedules no message). */
  static Results.PolicyResult lowerBound(SimConfig config, Workload workload) {
    double taskMinutes = LowerBound.taskSeconds(config, workload, config.sloSeconds()) / 60;
    return new Results.PolicyResult(
        "lower-bound",
        0,
        0,
        0,
        0,
        1,
        taskMinutes,
        1,
        0,
        Double.NaN,
        0,
        workload.messages(),
        workload.messages(),
        0,
        new int[0],
        new int[0]);
  }
}
