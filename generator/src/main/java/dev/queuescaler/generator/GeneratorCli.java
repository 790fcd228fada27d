package dev.queuescaler.generator;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code java -jar generator.jar --queue-url URL --count N [--body-bytes B] [--work-millis M]
 * [--fail-rate R] [--seed S]}: prints {@code {"sent": N, "failed": F, "millis": T}} on stdout; exit
 * 0 when all were sent, 1 when some failed after retries, 2 for bad arguments.
 */
@Command(
    name = "generator",
    mixinStandardHelpOptions = true,
    versionProvider = GeneratorVersion.class,
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
  private final Supplier<Optional<Region>> configuredRegion;
  private final PrintStream out;
  private final PrintStream err;

  GeneratorCli(
      Map<String, String> env,
      Supplier<Optional<Region>> configuredRegion,
      PrintStream out,
      PrintStream err) {
    this.env = env;
    this.configuredRegion = configuredRegion;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), GeneratorCli::sdkRegion, System.out, System.err));
  }

  /**
   * Runs the CLI.
   *
   * @param configuredRegion the region the SDK finds beyond {@code AWS_REGION} (the AWS config
   *     file, the instance metadata), if any
   */
  static int run(
      String[] args,
      Map<String, String> env,
      Supplier<Optional<Region>> configuredRegion,
      PrintStream out,
      PrintStream err) {
    CommandLine cli = new CommandLine(new GeneratorCli(env, configuredRegion, out, err));
    // Help and version are what was asked for: stdout. Errors and usage after one: stderr.
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static Optional<Region> sdkRegion() {
    try {
      return Optional.of(new DefaultAwsRegionProviderChain().getRegion());
    } catch (SdkClientException none) {
      return Optional.empty();
    }
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
    // Checked before the client is built, so that no region is a message, not the SDK's trace.
    if (env.getOrDefault("AWS_REGION", "").isBlank() && configuredRegion.get().isEmpty()) {
      err.println("generator: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1)");
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
      SendSummary summary;
      try {
        summary = generator.tracing().inSegment(() -> generator.generate(request));
      } catch (SendRefused refused) {
        // SQS refused the calls (no such queue, no permission): its reason, what was sent.
        err.println("generator: " + refused.getMessage());
        return 1;
      }
      out.println(summary.toJson());
      summary.failureLine().ifPresent(line -> err.println("generator: " + line));
      return summary.failed() == 0 ? 0 : 1;
    }
  }
}
