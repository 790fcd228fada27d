package dev.queuescaler.simulator;

import dev.queuescaler.scaler.cli.OneLineUsageErrors;
import dev.queuescaler.scaler.cli.ProjectVersion;
import dev.queuescaler.scaler.config.ClosestName;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.FeedForward;
import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.SamplingPlan;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar simulator.jar compare|tune ...}: see docs/simulator.md. */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Simulates queue, fleet and scaling policies on a virtual clock.",
    subcommands = {
      SimulatorCli.Compare.class,
      SimulatorCli.Tune.class,
      SimulatorCli.FrontierCommand.class
    })
public final class SimulatorCli implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line as {@code main} runs it: every usage error in one line, exit 2. */
  public static CommandLine commandLine() {
    return OneLineUsageErrors.install(new CommandLine(new SimulatorCli()));
  }

  /** The longest work time, as the local run's: SQS's longest visibility timeout, 12 h. */
  static final double MAX_WORK_SECONDS = 12 * 3600;

  /**
   * The widest lognormal: at 3 the 99th percentile is about 1,000 times the median; far beyond, a
   * draw overflows to an infinite work time.
   */
  static final double MAX_SIGMA = 3;

  /** The longest age objective: SQS's longest retention, 14 days; no message gets older. */
  static final double MAX_SLO_SECONDS = 14 * 24 * 3600;

  static final int MAX_LAUNCH_SECONDS = 600;

  /** How long a Fargate task takes to start, s: drawn evenly from min to max. */
  record LaunchRange(int min, int max) {}

  private static final Pattern LAUNCH_RANGE = Pattern.compile(" *(\\d+)(?: *- *(\\d+))? *");

  /** The traces --trace knows by name, in --traces-dir. */
  static final Map<String, String> KNOWN_TRACES =
      Map.of(
          "nasa", "nasa_http_jul1995_per_minute.csv",
          "azure-conv", "azure_llm_conv_2023_per_second.csv",
          "azure-code", "azure_llm_code_2023_per_second.csv");

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
    /** The command this world is part of: which options were given, not defaulted. */
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

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
        description = "End minute of the trace (exclusive); -1, the default, for its end")
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
        names = "--launch-seconds",
        defaultValue = "30-60",
        paramLabel = "MIN-MAX",
        description =
            "How long a Fargate task takes to start once asked for, drawn evenly from MIN to MAX"
                + " (or one value N); default ${DEFAULT-VALUE}, the usual start of a small image")
    String launchSeconds;

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
        description =
            "How often ours reads an idle target: 5-60 (60: the schedule alone); default the SSM"
                + " default of idle-check-seconds, or its --param")
    Integer idleCheckSeconds;

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
          idleCheckSeconds == null
              ? target(withLimits(params)).idleChecks()
              : new IdleChecks(java.time.Duration.ofSeconds(idleCheckSeconds)),
          feedForwardSeconds == 0
              ? Optional.empty()
              : Optional.of(new FeedForward(java.time.Duration.ofSeconds(feedForwardSeconds))));
    }

    /**
     * Rejects every flag and --param that is out of range or means nothing with the traffic given,
     * with a message that names it: nothing is silently ignored or replaced by a default.
     */
    void check() {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("--scale must be > 0 but was " + scale);
      }
      if (traffic.scenario != null || traffic.family != null) {
        for (String traceOnly : List.of("--scale", "--from", "--to", "--traces-dir")) {
          if (given(traceOnly)) {
            throw new IllegalArgumentException(
                traceOnly
                    + " applies to --trace only, not to "
                    + (traffic.scenario != null
                        ? "--scenario " + traffic.scenario
                        : "--family " + traffic.family));
          }
        }
      }
      if (traffic.trace != null) {
        if (traffic.trace.isBlank()) {
          throw new IllegalArgumentException(
              "--trace must name a CSV file or one of nasa, azure-conv, azure-code but was empty");
        }
        if (given("--traces-dir") && !KNOWN_TRACES.containsKey(traffic.trace)) {
          throw new IllegalArgumentException(
              "--traces-dir applies to --trace nasa, azure-conv or azure-code only, not to --trace "
                  + traffic.trace);
        }
      }
      if (idleCheckSeconds != null && params.containsKey("idle-check-seconds")) {
        throw new IllegalArgumentException(
            "--idle-check-seconds and --param idle-check-seconds say the same thing: give one");
      }
      if (idleCheckSeconds != null && (idleCheckSeconds < 5 || idleCheckSeconds > 60)) {
        throw new IllegalArgumentException(
            "--idle-check-seconds must be 5-60 but was " + idleCheckSeconds);
      }
      if (feedForwardSeconds < 0) {
        throw new IllegalArgumentException(
            "--feed-forward-seconds must be >= 0 but was " + feedForwardSeconds);
      }
      if (fromMinute < 0) {
        throw new IllegalArgumentException("--from must be >= 0 but was " + fromMinute);
      }
      if (toMinute != -1 && toMinute <= fromMinute) {
        throw new IllegalArgumentException(
            "--to must be after --from " + fromMinute + " but was " + toMinute);
      }
      if (minTasks < 0) {
        throw new IllegalArgumentException("--min must be >= 0 but was " + minTasks);
      }
      if (maxTasks < 1) {
        throw new IllegalArgumentException("--max must be >= 1 but was " + maxTasks);
      }
      if (minTasks > maxTasks) {
        throw new IllegalArgumentException("--min " + minTasks + " is above --max " + maxTasks);
      }
      if (!(medianWork > 0)) {
        throw new IllegalArgumentException(
            "--median-work-seconds must be > 0 but was " + medianWork);
      }
      if (medianWork > MAX_WORK_SECONDS) {
        throw new IllegalArgumentException(
            "--median-work-seconds must be at most 43200 (12 h) but was " + medianWork);
      }
      if (!(sigma >= 0)) {
        throw new IllegalArgumentException("--work-sigma must be >= 0 but was " + sigma);
      }
      if (sigma > MAX_SIGMA) {
        throw new IllegalArgumentException(
            "--work-sigma must be at most 3 (a 99th percentile 1,000 times the median) but was "
                + sigma);
      }
      if (lag < 0) {
        throw new IllegalArgumentException("--lag-seconds must be >= 0 but was " + lag);
      }
      if (metricDelay < 0) {
        throw new IllegalArgumentException(
            "--metric-delay-seconds must be >= 0 but was " + metricDelay);
      }
      launchRange();
      if (!(sloSeconds > 0)) {
        throw new IllegalArgumentException("--slo-seconds must be > 0 but was " + sloSeconds);
      }
      if (sloSeconds > MAX_SLO_SECONDS) {
        throw new IllegalArgumentException(
            "--slo-seconds must be at most 1209600 (14 days, SQS's longest retention) but was "
                + sloSeconds);
      }
      checkParams(params);
    }

    private boolean given(String option) {
      return command.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Each --param on its own terms, so that the message names it: a key that is not a setting (or
     * one the simulator sets from its own flags), a policy that is not a formula, then what the
     * scaler's parser rejects.
     */
    void checkParams(Map<String, String> params) {
      params.forEach(
          (name, value) -> {
            String rejected = "--param " + name + "=" + value + " is rejected: ";
            Optional<ParameterKey> key = ParameterKey.byKey(name);
            if (key.isEmpty()) {
              Optional<String> meant = ClosestName.to(name, TUNABLES);
              throw new IllegalArgumentException(
                  rejected
                      + name
                      + " is not a setting"
                      + meant
                          .map(m -> "; did you mean " + m + "?")
                          .orElse("; the settings are " + String.join(", ", TUNABLES)));
            }
            switch (key.get()) {
              case MIN_TASKS, MAX_TASKS ->
                  throw new IllegalArgumentException(
                      rejected + name + " comes from --min/--max, the same for every policy");
              case TASK_CONCURRENCY ->
                  throw new IllegalArgumentException(
                      rejected
                          + name
                          + " comes from --concurrency, the simulated worker's own setting");
              case QUEUE_URL, CLUSTER, SERVICE ->
                  throw new IllegalArgumentException(
                      rejected + "the simulator has its own queue and service");
              case ENABLED, DRY_RUN ->
                  throw new IllegalArgumentException(
                      rejected + name + " switches the deployed scaler; the simulator always acts");
              case POLICY -> {
                if (ScalingFormula.byKey(value.strip()).isEmpty()) {
                  List<String> formulas =
                      Arrays.stream(ScalingFormula.values()).map(ScalingFormula::key).toList();
                  throw new IllegalArgumentException(
                      rejected
                          + "policy is "
                          + String.join(" or ", formulas)
                          + ClosestName.suggestion(value.strip(), formulas));
                }
              }
              default -> {
                // Checked by the scaler's parser below.
              }
            }
          });
      List<String> problems = parse(withLimits(params)).problems();
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            problems.stream()
                .map(problem -> rejected(params, problem))
                .collect(Collectors.joining("; ")));
      }
    }

    /** A problem of the scaler's parser ("backlog-per-task: 0 is out of range") as --param's. */
    private static String rejected(Map<String, String> params, String problem) {
      for (Map.Entry<String, String> param : params.entrySet()) {
        String prefix = param.getKey() + ": ";
        if (problem.startsWith(prefix)) {
          return "--param "
              + param.getKey()
              + "="
              + param.getValue()
              + " is rejected: "
              + problem.substring(prefix.length());
        }
      }
      return "--param is rejected: " + problem;
    }

    /** The SSM keys --param takes: every one but those the simulator sets itself. */
    static final List<String> TUNABLES =
        Arrays.stream(ParameterKey.values())
            .filter(
                key ->
                    !key.isRequired()
                        && !List.of(
                                ParameterKey.MIN_TASKS,
                                ParameterKey.MAX_TASKS,
                                ParameterKey.TASK_CONCURRENCY,
                                ParameterKey.ENABLED,
                                ParameterKey.DRY_RUN)
                            .contains(key))
            .map(ParameterKey::key)
            .toList();

    /**
     * The launch delay's range, {@code [min, max]} seconds. Up to 600 s: a start that takes longer
     * is a failing task, not a slow one, and the runs' idle lead-in (10 minutes) bills a fleet
     * launched ahead of the traffic from a longest launch before it.
     */
    LaunchRange launchRange() {
      // Plain spaces only: a line break or tab pasted in is shown, not read past.
      Matcher range = LAUNCH_RANGE.matcher(launchSeconds);
      String shown = "\"" + TraceFile.visible(launchSeconds) + "\"";
      if (!range.matches()) {
        throw new IllegalArgumentException(
            "--launch-seconds must be MIN-MAX or one number of seconds (30-60) but was " + shown);
      }
      long min = seconds(range.group(1));
      long max = range.group(2) == null ? min : seconds(range.group(2));
      if (max > MAX_LAUNCH_SECONDS) {
        throw new IllegalArgumentException(
            "--launch-seconds must be at most 600 (10 min) but was " + shown);
      }
      if (min > max) {
        throw new IllegalArgumentException(
            "--launch-seconds must be MIN-MAX with MIN at most MAX but was " + shown);
      }
      return new LaunchRange((int) min, (int) max);
    }

    /** Digits as seconds, leading zeros aside; past what a long holds, simply too many. */
    private static long seconds(String digits) {
      String significant = digits.replaceFirst("^0+(?=\\d)", "");
      return significant.length() > 12 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    SimConfig config() {
      SimConfig d = SimConfig.defaults();
      LaunchRange launch = launchRange();
      return new SimConfig(
          minTasks,
          maxTasks,
          concurrency,
          lag,
          metricDelay,
          launch.min(),
          launch.max(),
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
      TraceFile.Trace trace = TraceFile.load(file);
      // --from and --to are minutes; a per-second trace has 60 bins to a minute. They are checked
      // against the trace's length in minutes, as given, before a product could overflow an int.
      int unit = 60 / trace.binSeconds();
      long minutes = ((long) trace.bins() + unit - 1) / unit;
      if (fromMinute >= minutes) {
        throw new IllegalArgumentException(
            "--from "
                + fromMinute
                + " is not before the end of "
                + file
                + ", which ends at minute "
                + minutes);
      }
      if (toMinute > minutes) {
        throw new IllegalArgumentException(
            "--to "
                + toMinute
                + " is after the end of "
                + file
                + ", which ends at minute "
                + minutes
                + "; -1 (the default) for its end");
      }
      int[] arrivals =
          trace.arrivals(scale, fromMinute * unit, toMinute < 0 ? -1 : toMinute * unit, seed);
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
      Map<String, String> known = KNOWN_TRACES;
      if (!known.containsKey(name)) {
        return Path.of(name);
      }
      Path file = tracesDir.resolve(known.get(name));
      if (!Files.exists(file)) {
        throw new IllegalArgumentException(
            "--trace " + name + ": no " + known.get(name) + " in --traces-dir " + tracesDir);
      }
      return file;
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
     * for a row beside ours: backlog-per-task beside the default backlog-and-load, and the other
     * way round when --param policy chose backlog-per-task.
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
      Parsed parsed = parse(params);
      if (!parsed.problems().isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", parsed.problems()));
      }
      return parsed.target().orElseThrow();
    }

    /** What the scaler's parser makes of these keys: a target, or its problems. */
    record Parsed(Optional<TargetConfig> target, List<String> problems) {}

    static Parsed parse(Map<String, String> params) {
      Map<String, String> raw = new HashMap<>();
      raw.put("sim/queue-url", "https://sqs.simulated/0/queue");
      raw.put("sim/cluster", "simulated");
      raw.put("sim/service", "simulated");
      params.forEach((key, value) -> raw.put("sim/" + key, value));
      var configuration = ConfigurationParser.parse(raw);
      List<String> problems = new ArrayList<>(configuration.warnings());
      configuration.rejected().forEach(target -> problems.addAll(target.allProblems()));
      return new Parsed(
          problems.isEmpty() ? Optional.of(configuration.targets().get(0)) : Optional.empty(),
          problems);
    }
  }

  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
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
        world.check();
        config = world.config();
        ours = world.parameters();
        workload = world.workload();
        outputDirectory(out);
      } catch (IllegalArgumentException e) {
        return usageError(world, e);
      }
      List<String> settings = new ArrayList<>();
      List<Results.PolicyResult> results =
          Comparison.run(
              config,
              workload,
              Comparison.policies(
                  ours, Optional.of(world.otherFormulaParameters()), world.ourOptions()),
              settings);
      try {
        Reports.write(
            out, workload.description(), results, settings, config, workload.arrivalsPerMinute());
      } catch (IOException e) {
        // Checked before the run, but a file in --out can still be in the way (a directory of the
        // same name) or the disk full: the answer is the same one line.
        return usageError(
            world,
            new IllegalArgumentException(
                "--out " + out + " cannot be written: " + OutputDirectory.reason(e)));
      }
      PrintWriter stdout = world.command.commandLine().getOut();
      stdout.print(Reports.markdown(workload.description(), results, settings, config));
      stdout.flush();
      return 0;
    }
  }

  /** A bad flag or file: one line on stderr that names it, exit 2 (as picocli's own). */
  static int usageError(World world, IllegalArgumentException e) {
    PrintWriter err = world.command.commandLine().getErr();
    err.println("simulator: " + e.getMessage());
    err.flush();
    return 2;
  }

  /** --out as a directory to write into: made if missing, rejected if it cannot be. */
  static void outputDirectory(Path out) {
    OutputDirectory.prepare(out, "--out", Reports.FILES);
  }

  @Command(
      name = "tune",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
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
        world.check();
        if (!(sloTarget > 0 && sloTarget <= 1)) {
          throw new IllegalArgumentException(
              "--slo-target must be a share above 0 and at most 1 (0.99: 99 %) but was "
                  + sloTarget);
        }
        if (!TargetName.isValid(target)) {
          throw new IllegalArgumentException(
              "--target must match [A-Za-z0-9._-]{1,64} (an SSM target name) but was \""
                  + target
                  + "\"");
        }
        config = world.config();
        world.parameters();
        workload = world.workload();
      } catch (IllegalArgumentException e) {
        return usageError(world, e);
      }
      Tuning.Outcome outcome =
          Tuning.search(config, workload, world.withLimits(world.params), sloTarget);
      PrintWriter out = world.command.commandLine().getOut();
      out.println(outcome.table());
      if (outcome.best().isEmpty()) {
        out.println(
            "No setting tried meets "
                + sloTarget
                + " within "
                + config.sloSeconds()
                + " s: "
                + whatToChange(config, sloTarget));
        out.flush();
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
      out.flush();
      return 0;
    }

    /**
     * What to change when no setting meets the objective. A message that finds no task running
     * waits for the counts to show it and for a task to start, whatever the fleet's limits: then
     * more tasks on demand do not bring it in time, a task kept running does. Which share of the
     * messages find no task depends on the traffic, so a larger fleet stays among the advice.
     */
    static String whatToChange(SimConfig config, double sloTarget) {
      String waits =
          "counts read "
              + config.observationLagSeconds()
              + " s late, tasks starting in "
              + config.launchMinSeconds()
              + "-"
              + config.launchMaxSeconds()
              + " s (--launch-seconds)";
      double emptyFleetWait =
          config.observationLagSeconds()
              + config.launchMinSeconds()
              + sloTarget * (config.launchMaxSeconds() - config.launchMinSeconds());
      if (config.minTasks() == 0 && emptyFleetWait >= config.sloSeconds()) {
        return "a message that finds no task running waits past it ("
            + waits
            + "): keep one running (--min 1), raise --max, start tasks faster or relax the"
            + " objective.";
      }
      if (config.minTasks() > 0
          && config.observationLagSeconds() + config.launchMinSeconds() >= config.sloSeconds()) {
        return "no task started on demand is in time ("
            + waits
            + "): raise --min, start tasks faster or relax the objective.";
      }
      return "raise --max or relax the objective.";
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
          world.check();
          if (targets.isEmpty() || targets.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--targets must be >= 1 but were " + targets);
          }
          options = world.ourOptions();
          config = world.config();
          ours = world.withLimits(world.params);
          workload = world.workload();
          OutputDirectory.prepare(out, "--out", List.of("frontier.csv", "frontier.png"));
        } catch (IllegalArgumentException e) {
          return usageError(world, e);
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
