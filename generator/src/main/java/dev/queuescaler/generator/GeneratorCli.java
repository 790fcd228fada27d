package dev.queuescaler.generator;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar generator.jar --queue-url URL --count N [--body-bytes B] [--work-millis M]
 * [--fail-rate R] [--seed S]}: prints {@code {"sent": N, "failed": F, "millis": T}} on stdout; exit
 * 0 when all were sent, 1 when some failed after retries, 2 for bad arguments.
 */
@Command(
    name = "generator",
    mixinStandardHelpOptions = true,
    description = "Puts random work messages on an SQS queue.")
public final class GeneratorCli implements Callable<Integer> {

  @Option(names = "--queue-url", required = true, paramLabel = "URL", description = "The queue.")
  String queueUrl;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Messages to send.")
  int count;

  @Option(
      names = "--body-bytes",
      paramLabel = "B",
      description = "Exact body size in bytes (default ${DEFAULT-VALUE}).")
  int bodyBytes = GenerateRequest.DEFAULT_BODY_BYTES;

  @Option(
      names = "--work-millis",
      paramLabel = "M",
      description = "Work per message in ms (default ${DEFAULT-VALUE}).")
  int workMillis = GenerateRequest.DEFAULT_WORK_MILLIS;

  @Option(
      names = "--fail-rate",
      paramLabel = "R",
      description = "Share of messages that fail, 0..1 (default ${DEFAULT-VALUE}).")
  double failRate;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed, for reproducible bodies.")
  Long seed;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  GeneratorCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new GeneratorCli(env, out, err));
    cli.setOut(new PrintWriter(err, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    GenerateRequest request;
    try {
      request =
          new GenerateRequest(
              queueUrl,
              count,
              Optional.empty(),
              bodyBytes,
              workMillis,
              failRate,
              Optional.ofNullable(seed));
    } catch (IllegalArgumentException e) {
      err.println("generator: " + e.getMessage());
      return 2;
    }
    GeneratorTracing tracing;
    try {
      tracing = GeneratorTracing.chosen(env);
    } catch (IllegalArgumentException e) {
      err.println("generator: " + e.getMessage());
      return 2;
    }
    // Closing the generator closes its tracing: every span has left when the process ends.
    try (Generator generator = Generator.fromStandardSettings(tracing, Clock.systemUTC())) {
      SendSummary summary = generator.tracing().inSegment(() -> generator.generate(request));
      out.println(summary.toJson());
      return summary.failed() == 0 ? 0 : 1;
    }
  }
}
