package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad input of the same classes as the table, answered plainly. */
class SimulatorBadInputTest {

  @TempDir Path dir;

  record Run(int exit, String stdout, String stderr) {}

  private static Run simulator(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = SimulatorCli.commandLine();
    cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
    int exit = cli.execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertOneLineExitTwo(Run run, String... mentions) {
    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().lines()).as(run.stderr()).hasSize(1);
    assertThat(run.stderr()).as(run.stderr()).startsWith("simulator: ").contains(mentions);
  }

  /**
   * A count far beyond anything simulable (10^11 messages in one minute) is bad input: today the
   * CLI spends minutes drawing 10^11 random numbers before any message; it should be rejected.
   */
  @Test
  void aHugeCountIsRejectedNamingItNotLoopedOver() throws Exception {
    Path trace = dir.resolve("huge.csv");
    Files.writeString(trace, "minute,count\n0,100000000000\n");

    Run run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                simulator(
                    "compare", "--trace", trace.toString(), "--out", dir.resolve("o").toString()));

    assertOneLineExitTwo(run, "100000000000");
  }

  /** --scale 1e300 passes check() (it is > 0 and finite) and then loops for ever. */
  @Test
  void aHugeScaleIsRejectedNamingIt() throws Exception {
    Path trace = dir.resolve("t.csv");
    Files.writeString(trace, "minute,count\n0,5\n1,6\n");

    Run run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                simulator(
                    "compare",
                    "--trace",
                    trace.toString(),
                    "--scale",
                    "1e300",
                    "--out",
                    dir.resolve("o").toString()));

    assertOneLineExitTwo(run, "--scale");
  }

  /**
   * A per-second count above Integer.MAX_VALUE wraps around to a negative arrival count: the
   * simulator then says "arrival counts must be >= 0" (about a positive count) and the local run
   * (./run-local --profile trace:FILE) silently sends no message at all and exits 0.
   */
  @Test
  void aPerSecondCountAboveAnIntIsRejectedNotWrappedAround() throws Exception {
    Path trace = dir.resolve("sec.csv");
    Files.writeString(trace, "second,count\n0,3000000000\n");

    assertThatThrownBy(() -> TraceFile.load(trace).arrivals(1, 0, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3000000000");
  }

  /** An --out directory the results cannot be written into: today a NoSuchFileException trace. */
  @Test
  void anOutDirectoryThatCannotBeWrittenIsAOneLineUsageError() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("summary.csv"));

    Run run = simulator("compare", "--scenario", "burst", "--out", out.toString());

    assertOneLineExitTwo(run, out.toString());
  }

  /**
   * A value picocli cannot convert gets its message and then the whole usage (about 40 lines),
   * while every other bad input gets one line (SimulatorCliTest: "no stack trace, no usage dump").
   */
  @Test
  void aValueOfTheWrongTypeIsOneLineToo() {
    Run run =
        simulator(
            "compare",
            "--scenario",
            "burst",
            "--seed",
            "abc",
            "--out",
            dir.resolve("o").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr().lines()).as(run.stderr()).hasSize(1);
    assertThat(run.stderr()).contains("--seed").contains("abc");
  }

  /**
   * --from in minutes times 60 bins a minute overflows an int on a per-second trace: the message
   * shows a window the user never gave ("[-1894967296, end)").
   */
  @Test
  void aFromBeyondAPerSecondTraceIsNamedAsGiven() throws Exception {
    Path trace = dir.resolve("sec.csv");
    Files.writeString(trace, "second,count\n0,5\n");

    Run run =
        simulator(
            "compare",
            "--trace",
            trace.toString(),
            "--from",
            "40000000",
            "--out",
            dir.resolve("o").toString());

    assertOneLineExitTwo(run, "40000000");
    assertThat(run.stderr()).doesNotContain("-1894967296");
  }

  /** --to past a trace's end: the run used to go on, titled with minutes the trace never had. */
  @Test
  void aToBeyondTheTraceIsNamedWithWhereTheTraceEnds() throws Exception {
    Path trace = dir.resolve("sec.csv");
    Files.writeString(trace, "second,count\n0,5\n");

    Run run =
        simulator(
            "compare",
            "--trace",
            trace.toString(),
            "--to",
            "40000000",
            "--out",
            dir.resolve("o").toString());

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "simulator: --to 40000000 is after the end of "
                + trace
                + ", which ends at minute 1; -1 (the default) for its end"
                + System.lineSeparator());
  }

  /** Flags that mean nothing with the traffic given, or values that name nothing, are named. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--traces-dir with a scenario | --scenario,burst,--traces-dir,/nonexistent"
            + " | --traces-dir applies to --trace only, not to --scenario burst",
        "--traces-dir with a trace file | --trace,my.csv,--traces-dir,/nonexistent"
            + " | --traces-dir applies to --trace nasa, azure-conv or azure-code only, not to"
            + " --trace my.csv",
        "an empty --trace | --trace,<empty> | --trace must name a CSV file or one of nasa, azure-conv,"
            + " azure-code but was empty",
        "a huge --median-work-seconds | --scenario,burst,--median-work-seconds,1e300"
            + " | --median-work-seconds must be at most 43200 (12 h) but was 1.0E300",
        "a huge --slo-seconds | --scenario,burst,--slo-seconds,1e300 | --slo-seconds must be at"
            + " most 1209600 (14 days, SQS's longest retention) but was 1.0E300",
        "a huge --work-sigma | --scenario,burst,--work-sigma,1000 | --work-sigma must be at most 3"
            + " (a 99th percentile 1,000 times the median) but was 1000.0"
      })
  void aFlagThatMeansNothingOrIsBeyondAnyWorkloadIsNamed(String name, String flags, String line) {
    List<String> args = new ArrayList<>(List.of("compare"));
    // <empty> stands for an empty argument, which a CSV cell cannot hold.
    List.of(flags.split(",")).forEach(flag -> args.add(flag.equals("<empty>") ? "" : flag));
    args.addAll(List.of("--out", dir.resolve("o").toString()));

    Run run = simulator(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo("simulator: " + line + System.lineSeparator());
  }

  /** An empty --out is the working directory: results would land among whatever is there. */
  @Test
  void anEmptyOutIsRejected() {
    Run run = simulator("compare", "--scenario", "burst", "--out", "");

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo("simulator: --out must name a directory but was empty" + System.lineSeparator());
  }
}
