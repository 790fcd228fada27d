package dev.queuescaler.simulator;

import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.policy.FeedForward;
import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar simulator.jar compare|tune ...}: see the README's performance section. */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = "Simulates queue, fleet and scaling policies on a virtual clock.",
    subcommands = {
      SimulatorCli.Compare.class,
      SimulatorCli.Tune.class,
      SimulatorCli.FrontierCommand.class
    })
public final class SimulatorCli implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorCli()).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Where the traffic comes from: a built-in scenario, a family's draw or a trace file. */
  static final class Traffic {
    @Option(
        names = "--family",
        paramLabel = "NAME",
        description =
            "bursts-every-7-min, sparse, sawtooth, flash-crowds, ramp-to-plateau, square-wave,"
                + " noisy-diurnal: each --seed draws its own parameters")
    String family;

    @Option(
        names = "--scenario",
        paramLabel = "NAME",
        description = "burst, steady, ramp, sine, spikes, trickle")
    String scenario;

    @Option(
        names = "--trace",
        paramLabel = "FILE",
        description = "A CSV trace, or nasa, azure-conv, azure-code for the ones in --traces-dir")
    String trace;
  }

  /** The world and the policy settings shared by both commands. */
  static final class World {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Traffic traffic;

    @Option(
        names = "--traces-dir",
        defaultValue = "traces",
        description = "Default: ${DEFAULT-VALUE}")
    Path tracesDir;

    @Option(names = "--scale", defaultValue = "1", description = "Multiply the trace's counts")
    double scale;

    @Option(names = "--from", defaultValue = "0", description = "First minute of the trace")
    int fromMinute;

    @Option(
        names = "--to",
        defaultValue = "-1",
        description = "End minute of the trace (exclusive)")
    int toMinute;

    @Option(names = "--slo-seconds", defaultValue = "60", description = "Age objective")
    double sloSeconds;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Our tunables, by SSM key")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--min", defaultValue = "0")
    int minTasks;

    @Option(names = "--max", defaultValue = "20")
    int maxTasks;

    @Option(
        names = "--concurrency",
        defaultValue = "10",
        description = "Messages per task at a time")
    int concurrency;

    @Option(names = "--median-work-seconds", defaultValue = "1.0")
    double medianWork;

    @Option(names = "--work-sigma", defaultValue = "0.5", description = "Lognormal shape")
    double sigma;

    @Option(
        names = "--lag-seconds",
        defaultValue = "10",
        description = "Staleness of queue counts (no public measurement; default 10)")
    int lag;

    @Option(
        names = "--metric-delay-seconds",
        defaultValue = "60",
        description = "SQS datapoints reach alarms 1-5 min late; default the fast end")
    int metricDelay;

    @Option(
        names = "--aligned-alarm-periods",
        description = "5-minute alarm periods aligned to the clock, not sliding each minute")
    boolean alignedAlarmPeriods;

    @Option(names = "--no-protection", description = "Scale-in may stop busy tasks")
    boolean noProtection;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
        names = "--idle-check-seconds",
        defaultValue = "60",
        description =
            "How often ours reads an idle target: 60, the schedule alone (as deployed), or 5-59"
                + " with checks between its invocations")
    int idleCheckSeconds;

    @Option(
        names = "--feed-forward-seconds",
        defaultValue = "0",
        description =
            "Ours sizes for the backlog this far ahead (its growth since the previous sample,"
                + " continued); 0: off, as deployed")
    int feedForwardSeconds;

    /** How ours reads the queue besides its SSM keys. */
    OurOptions ourOptions() {
      return new OurOptions(
          sampling(),
          new IdleChecks(java.time.Duration.ofSeconds(idleCheckSeconds)),
          feedForwardSeconds == 0
              ? Optional.empty()
              : Optional.of(new FeedForward(java.time.Duration.ofSeconds(feedForwardSeconds))));
    }

    SimConfig config() {
      SimConfig d = SimConfig.defaults();
      return new SimConfig(
          minTasks,
          maxTasks,
          concurrency,
          lag,
          metricDelay,
          d.launchMinSeconds(),
          d.launchMaxSeconds(),
          d.visibilityTimeoutSeconds(),
          !noProtection,
          sloSeconds,
          seed,
          alignedAlarmPeriods);
    }

    Workload workload() throws Exception {
      if (traffic.family != null) {
        TrafficFamily family = TrafficFamily.parse(traffic.family);
        return Workload.of(
            family.arrivals(seed),
            medianWork,
            sigma,
            seed,
            family.key() + " (draw " + seed + "): " + family.description());
      }
      if (traffic.scenario != null) {
        Scenario scenario = Scenario.parse(traffic.scenario);
        return Workload.of(
            scenario.arrivals(seed),
            medianWork,
            sigma,
            seed,
            scenario.name().toLowerCase(Locale.ROOT) + ": " + scenario.description());
      }
      Path file = resolveTrace(traffic.trace);
      boolean perSecond = Files.readAllLines(file).get(0).startsWith("second");
      int unit = perSecond ? 60 : 1;
      int[] arrivals =
          TraceFile.read(file, scale, fromMinute * unit, toMinute < 0 ? -1 : toMinute * unit, seed);
      return Workload.of(
          arrivals,
          medianWork,
          sigma,
          seed,
          file.getFileName()
              + " x"
              + scale
              + " (minutes "
              + fromMinute
              + ".."
              + (toMinute < 0 ? "end" : toMinute)
              + ")");
    }

    private Path resolveTrace(String name) {
      Map<String, String> known =
          Map.of(
              "nasa", "nasa_http_jul1995_per_minute.csv",
              "azure-conv", "azure_llm_conv_2023_per_second.csv",
              "azure-code", "azure_llm_code_2023_per_second.csv");
      return known.containsKey(name) ? tracesDir.resolve(known.get(name)) : Path.of(name);
    }

    /**
     * Ours, with min-tasks and max-tasks from --min/--max (every policy gets the same limits) and
     * task-concurrency from --concurrency (the simulated worker's own setting, as infra writes it).
     */
    ScalingParameters parameters() {
      return parameters(withLimits(params));
    }

    /**
     * The other formula with the same --param settings (and its own defaults where none is given),
     * for a row beside ours: the mission's backlog-per-task beside the default backlog-and-load,
     * and the other way round when --param policy chose the mission's formula.
     */
    ScalingParameters otherFormulaParameters() {
      Map<String, String> other = withLimits(params);
      other.put(
          "policy",
          (parameters().formula() == ScalingFormula.BACKLOG_PER_TASK
                  ? ScalingFormula.BACKLOG_AND_LOAD
                  : ScalingFormula.BACKLOG_PER_TASK)
              .key());
      return parameters(other);
    }

    /** Our sampling within the minute, from --param sample-interval-seconds (the SSM key). */
    SamplingPlan sampling() {
      return target(withLimits(params)).sampling();
    }

    Map<String, String> withLimits(Map<String, String> given) {
      for (String key : List.of("min-tasks", "max-tasks")) {
        if (given.containsKey(key)) {
          throw new IllegalArgumentException(
              key + " comes from --min/--max, the same for every policy");
        }
      }
      if (given.containsKey("task-concurrency")) {
        throw new IllegalArgumentException(
            "task-concurrency comes from --concurrency, the simulated worker's own setting");
      }
      Map<String, String> all = new LinkedHashMap<>(given);
      all.put("min-tasks", Integer.toString(minTasks));
      all.put("max-tasks", Integer.toString(maxTasks));
      all.put("task-concurrency", Integer.toString(concurrency));
      return all;
    }

    /** Our tunables through the scaler's own parser: same keys, ranges and defaults as SSM. */
    static ScalingParameters parameters(Map<String, String> params) {
      return target(params).parameters().orElseThrow();
    }

    /** Our target as the scaler's own parser reads these SSM keys. */
    static TargetConfig target(Map<String, String> params) {
      Map<String, String> raw = new HashMap<>();
      raw.put("sim/queue-url", "https://sqs.simulated/0/queue");
      raw.put("sim/cluster", "simulated");
      raw.put("sim/service", "simulated");
      params.forEach((key, value) -> raw.put("sim/" + key, value));
      var configuration = ConfigurationParser.parse(raw);
      if (!configuration.warnings().isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", configuration.warnings()));
      }
      if (!configuration.rejected().isEmpty()) {
        throw new IllegalArgumentException(
            String.join("; ", configuration.rejected().get(0).allProblems()));
      }
      return configuration.targets().get(0);
    }
  }

  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      description = "Every policy, same traffic.")
  static final class Compare implements Callable<Integer> {
    @Mixin World world;

    @Option(
        names = "--out",
        required = true,
        description = "Writes summary.csv, summary.md, timeline.csv, chart.png")
    Path out;

    @Override
    public Integer call() throws Exception {
      SimConfig config;
      ScalingParameters ours;
      Workload workload;
      try {
        config = world.config();
        ours = world.parameters();
        workload = world.workload();
      } catch (IllegalArgumentException e) {
        System.err.println("simulator: " + e.getMessage());
        return 2;
      }
      List<String> settings = new ArrayList<>();
      List<Results.PolicyResult> results =
          Comparison.run(
              config,
              workload,
              Comparison.policies(
                  ours, Optional.of(world.otherFormulaParameters()), world.ourOptions()),
              settings);
      Reports.write(
          out, workload.description(), results, settings, config, workload.arrivalsPerMinute());
      System.out.print(Reports.markdown(workload.description(), results, settings, config));
      return 0;
    }
  }

  @Command(
      name = "tune",
      mixinStandardHelpOptions = true,
      description = "Searches our tunables for the cheapest that meets the SLO.")
  static final class Tune implements Callable<Integer> {
    @Mixin World world;

    @Option(
        names = "--slo-target",
        defaultValue = "0.99",
        description = "Share within --slo-seconds")
    double sloTarget;

    @Option(
        names = "--target",
        defaultValue = "default",
        description = "SSM target for the commands")
    String target;

    @Override
    public Integer call() throws Exception {
      SimConfig config;
      Workload workload;
      try {
        config = world.config();
        world.parameters();
        workload = world.workload();
      } catch (IllegalArgumentException e) {
        System.err.println("simulator: " + e.getMessage());
        return 2;
      }
      Tuning.Outcome outcome =
          Tuning.search(config, workload, world.withLimits(world.params), sloTarget);
      PrintWriter out = new PrintWriter(System.out, true);
      out.println(outcome.table());
      if (outcome.best().isEmpty()) {
        out.println(
            "No setting tried meets "
                + sloTarget
                + " within "
                + config.sloSeconds()
                + " s: raise --max or relax the objective.");
        return 1;
      }
      out.println("Cheapest setting that meets the objective, as SSM commands:");
      outcome
          .best()
          .get()
          .forEach(
              (key, value) ->
                  out.println(
                      "aws ssm put-parameter --overwrite --type String --name /queue-scaler/"
                          + target
                          + "/"
                          + key
                          + " --value "
                          + value));
      return 0;
    }
  }

  @Command(
      name = "frontier",
      mixinStandardHelpOptions = true,
      description =
          "Every controller at every shared target (backlog-per-task = KEDA's queueLength ="
              + " target tracking's target): task-minutes against p99 age.")
  static final class FrontierCommand implements Callable<Integer> {
    @Mixin World world;

    @Option(
        names = "--targets",
        split = ",",
        description = "The shared target's grid. Default: 3,5,10,20,40,100,200")
    List<Integer> targets = Frontier.TARGETS;

    @Option(
        names = "--seeds",
        split = ",",
        description = "Draws (arrivals, work, launches, a family's parameters); default --seed")
    List<Long> seeds = new ArrayList<>();

    @Option(
        names = "--out",
        required = true,
        description = "Writes frontier.csv (every draw) and frontier.png (the draws' means)")
    Path out;

    @Override
    public Integer call() throws Exception {
      List<Long> draws = seeds.isEmpty() ? List.of(world.seed) : seeds;
      List<String> csv = new ArrayList<>();
      csv.add(Frontier.Point.CSV_HEADER);
      Map<String, double[]> sums = new LinkedHashMap<>();
      String title = "";
      for (long draw : draws) {
        world.seed = draw;
        SimConfig config;
        Workload workload;
        Map<String, String> ours;
        OurOptions options;
        try {
          options = world.ourOptions();
          config = world.config();
          ours = world.withLimits(world.params);
          workload = world.workload();
        } catch (IllegalArgumentException e) {
          System.err.println("simulator: " + e.getMessage());
          return 2;
        }
        title = workload.description().replaceAll(" \\(draw \\d+\\)", "");
        for (Frontier.Point point : Frontier.sweep(config, workload, ours, options, targets)) {
          csv.add(point.csvRow(draw));
          String key =
              point.policy()
                  + ","
                  + (point.target().isPresent() ? Integer.toString(point.target().getAsInt()) : "");
          double[] sum = sums.computeIfAbsent(key, k -> new double[4]);
          sum[0] += point.p99AgeSeconds();
          sum[1] += point.taskMinutes();
          sum[2] += point.scalingActions();
          sum[3] += point.costRatio();
        }
      }
      Files.createDirectories(out);
      Files.write(out.resolve("frontier.csv"), csv);
      List<Frontier.Point> means = new ArrayList<>();
      sums.forEach(
          (key, sum) -> {
            String[] parts = key.split(",", -1);
            means.add(
                new Frontier.Point(
                    parts[0],
                    parts[1].isEmpty()
                        ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(Integer.parseInt(parts[1])),
                    sum[0] / draws.size(),
                    sum[1] / draws.size(),
                    Math.round(sum[2] / draws.size()),
                    sum[3] / draws.size(),
                    Double.NaN));
          });
      String subtitle =
          title
              + (draws.size() > 1
                  ? ", mean of " + draws.size() + " draws"
                  : ", seed " + draws.get(0))
              + ", counts read "
              + world.lag
              + " s late";
      Reports.frontierChart(out.resolve("frontier.png"), subtitle, means, world.sloSeconds);
      System.out.println(subtitle);
      for (Frontier.Point point : means) {
        System.out.println(point.csvRow(0).substring(2));
      }
      return 0;
    }
  }
}
