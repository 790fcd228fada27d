package dev.queuescaler.scaler.cli;

import dev.queuescaler.scaler.app.ObservabilitySettings;
import dev.queuescaler.scaler.app.ScalerAssembly;
import dev.queuescaler.scaler.app.ScalerSettings;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.tracing.TraceRoot;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar scaler-lambda.jar once [--dry-run] [--target NAME]}: one cycle, the Lambda's
 * code path. Decision lines on stdout; metrics (EMF) and logs on stderr. Exit 0 when every target's
 * cycle completed, 1 when any failed, 2 for a usage or settings error. Spans go where {@code
 * TRACING} says, all sent before the process ends.
 */
@Command(
    name = "scaler",
    mixinStandardHelpOptions = true,
    description = "Queue-depth scaler for ECS services.",
    subcommands = {ScalerCli.Once.class})
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
    CommandLine cli = new CommandLine(new ScalerCli(), new Factory(env, out, err));
    cli.setOut(new java.io.PrintWriter(err, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** One scaling cycle. */
  @Command(name = "once", mixinStandardHelpOptions = true, description = "Run one scaling cycle.")
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

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Once(Map<String, String> env, PrintStream out, PrintStream err) {
      this.env = env;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      ScalerSettings settings;
      ObservabilitySettings observability;
      try {
        settings = ScalerSettings.fromEnvironment(env);
        observability = ObservabilitySettings.fromEnvironment(env);
      } catch (IllegalArgumentException e) {
        err.println("scaler: " + e.getMessage());
        return USAGE;
      }
      try (ScalerAssembly assembly =
          ScalerAssembly.create(
              settings,
              observability,
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
    private final PrintStream out;
    private final PrintStream err;

    Factory(Map<String, String> env, PrintStream out, PrintStream err) {
      this.env = env;
      this.out = out;
      this.err = err;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == Once.class) {
        return type.cast(new Once(env, out, err));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
