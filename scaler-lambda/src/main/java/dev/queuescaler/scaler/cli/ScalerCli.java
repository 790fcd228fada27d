package dev.queuescaler.scaler.cli;

import dev.queuescaler.scaler.app.ObservabilitySettings;
import dev.queuescaler.scaler.app.ScalerAssembly;
import dev.queuescaler.scaler.app.ScalerSettings;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.tracing.TraceRoot;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/**
 * {@code java -jar scaler-lambda.jar once [--dry-run] [--target NAME] [--region REGION]}: one
 * cycle, the Lambda's code path. Decision lines on stdout; metrics (EMF) and logs on stderr. Exit 0
 * when every target's cycle completed, 1 when any failed, 2 for a usage or settings error. {@code
 * defaults} prints every SSM key with its default and valid range; {@code --help} and {@code
 * --version} print on stdout. Spans go where {@code TRACING} says, all sent before the process
 * ends.
 */
@Command(
    name = "scaler",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Queue-depth scaler for ECS services.",
    subcommands = {ScalerCli.Once.class, ScalerCli.Defaults.class})
public final class ScalerCli implements Callable<Integer> {

  public static final int COMPLETED = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the CLI with the given environment and streams; returns the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, RegionChoice.Elsewhere.sdkChain(), out, err);
  }

  /** As {@link #run(String[], Map, PrintStream, PrintStream)}, with the SDK's region lookup. */
  static int run(
      String[] args,
      Map<String, String> env,
      RegionChoice.Elsewhere regions,
      PrintStream out,
      PrintStream err) {
    return run(args, env, regions, CredentialChain.sdkDefault(), out, err);
  }

  /** As {@link #run(String[], Map, PrintStream, PrintStream)}, with the SDK's lookups given. */
  static int run(
      String[] args,
      Map<String, String> env,
      RegionChoice.Elsewhere regions,
      CredentialChain credentials,
      PrintStream out,
      PrintStream err) {
    CommandLine cli =
        OneLineUsageErrors.install(
            new CommandLine(new ScalerCli(), new Factory(env, regions, credentials, out, err)));
    // Help and version are what was asked for: stdout. Errors and usage after one: stderr.
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** One scaling cycle. */
  @Command(
      name = "once",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = "Run one scaling cycle.")
  static final class Once implements Callable<Integer> {

    @Option(
        names = "--dry-run",
        description = "Report what would happen without acting, whatever SSM says.")
    boolean dryRun;

    @Option(
        names = "--target",
        paramLabel = "NAME",
        converter = TargetNameConverter.class,
        description = "Run this target only.")
    TargetName target;

    @Option(
        names = "--region",
        paramLabel = "REGION",
        description = "The AWS region, e.g. eu-west-1. Default: AWS_REGION, then the AWS config.")
    Optional<String> region = Optional.empty();

    private final Map<String, String> env;
    private final RegionChoice.Elsewhere regions;
    private final CredentialChain credentials;
    private final PrintStream out;
    private final PrintStream err;

    Once(
        Map<String, String> env,
        RegionChoice.Elsewhere regions,
        CredentialChain credentials,
        PrintStream out,
        PrintStream err) {
      this.env = env;
      this.regions = regions;
      this.credentials = credentials;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      ScalerSettings settings;
      ObservabilitySettings observability;
      Region chosen;
      try {
        settings = ScalerSettings.fromEnvironment(env);
        observability = ObservabilitySettings.fromEnvironment(env);
        chosen = RegionChoice.choose(region, env, regions);
        if (!credentials.finds()) {
          throw new IllegalArgumentException(CredentialChain.NONE_FOUND);
        }
      } catch (IllegalArgumentException e) {
        err.println("scaler: " + e.getMessage());
        return USAGE;
      }
      try (ScalerAssembly assembly =
          ScalerAssembly.create(
              settings,
              observability,
              Optional.of(chosen),
              TraceRoot.OWN_TRACE,
              new ScalerAssembly.Outputs(out, err, err),
              Clock.systemUTC())) {
        // The run's own id in every line, as the Lambda's request id: one run, one id.
        assembly.correlation().beginRequest(java.util.UUID.randomUUID().toString());
        CycleReport report =
            assembly.cycle().run(new CycleRequest(Optional.ofNullable(target), dryRun));
        return report.failed() ? FAILED : COMPLETED;
      }
    }
  }

  /** Every SSM key of a target with its default and valid range, from {@link ParameterKey}. */
  @Command(
      name = "defaults",
      mixinStandardHelpOptions = true,
      versionProvider = ProjectVersion.class,
      description = "Print every SSM key of a target with its default and valid range.")
  static final class Defaults implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(table());
      spec.commandLine().getOut().flush();
      return COMPLETED;
    }

    /** One row per key under {@code <prefix>/<target>/}, aligned for a terminal. */
    static String table() {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"key", "type", "default", "valid"});
      for (ParameterKey key : ParameterKey.values()) {
        rows.add(new String[] {key.key(), key.kind().label(), key.tableDefault(), key.valid()});
      }
      int[] widths = new int[3];
      for (String[] row : rows) {
        for (int i = 0; i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      StringBuilder table =
          new StringBuilder(
              "SSM keys of one target, under <prefix>/<target>/ (the prefix: SCALER_PARAMETER_PATH,"
                  + " default "
                  + SsmParameterSource.DEFAULT_PREFIX
                  + ")\n");
      for (String[] row : rows) {
        for (int i = 0; i < widths.length; i++) {
          table.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
        }
        table.append(row[widths.length]).append('\n');
      }
      return table.toString();
    }
  }

  /** Rejects a bad target name as a usage error (exit 2). */
  static final class TargetNameConverter implements CommandLine.ITypeConverter<TargetName> {
    @Override
    public TargetName convert(String value) {
      if (!TargetName.isValid(value)) {
        throw new CommandLine.TypeConversionException(
            "target names match [A-Za-z0-9._-]{1,64}; got \"" + value + "\"");
      }
      return new TargetName(value);
    }
  }

  /** Gives the subcommand its environment and streams instead of globals. */
  private static final class Factory implements CommandLine.IFactory {
    private final Map<String, String> env;
    private final RegionChoice.Elsewhere regions;
    private final CredentialChain credentials;
    private final PrintStream out;
    private final PrintStream err;

    Factory(
        Map<String, String> env,
        RegionChoice.Elsewhere regions,
        CredentialChain credentials,
        PrintStream out,
        PrintStream err) {
      this.env = env;
      this.regions = regions;
      this.credentials = credentials;
      this.out = out;
      this.err = err;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == Once.class) {
        return type.cast(new Once(env, regions, credentials, out, err));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
