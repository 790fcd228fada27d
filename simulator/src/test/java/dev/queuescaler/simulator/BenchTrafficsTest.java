package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/traffics}' {@code run_seed}, the loop {@code bench/candidate} runs for every seed:
 * each {@code compare} it starts must be one the CLI accepts, or the benchmark stops at its first
 * seed. A stand-in {@code java} on the PATH records the command lines instead of simulating. Then
 * how {@code bench/candidate} splits its arguments between its two sides and which traffic it
 * leaves out with {@code TUNED_ONLY=1}, and the targets {@code bench/run} runs past the checks'
 * grid.
 */
class BenchTrafficsTest {

  @Test
  void runSeedNamesTheTracesFolderOnlyForTraceReplaysWhichTheCliRequires(@TempDir Path dir)
      throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path calls = dir.resolve("calls");
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder run =
        new ProcessBuilder(
                "bash",
                "-c",
                "source bench/traffics && run_seed sim.jar my-traces \"$1\" 42 --param x=1",
                "_",
                dir.resolve("out").toString())
            .redirectErrorStream(true);
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment().put("BENCH_JOBS", "1");

    Process process = run.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    List<String> lines = Files.readAllLines(calls);
    assertThat(lines).hasSizeGreaterThan(3);
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line)
                  .startsWith("-jar sim.jar compare ")
                  .contains("--param x=1 --seed 42");
              if (line.contains("--trace ")) {
                assertThat(line).contains("--traces-dir my-traces");
              } else {
                // SimulatorCli: "--traces-dir applies to --trace only", exit 2.
                assertThat(line).doesNotContain("--traces-dir");
              }
            });
    assertThat(lines).anyMatch(line -> line.contains("--scenario "));
    assertThat(lines).anyMatch(line -> line.contains("--trace "));
  }

  /**
   * A review found {@code --lag-seconds 60} reaching the candidate's runs only, so a check at 60 s
   * compared the candidate at 60 s with the defaults at 10 s; and the first fix sent {@code
   * --param=KEY=VALUE} and our own flags to both sides, a check of the defaults against themselves.
   */
  @Test
  void candidateArgumentsGoToTheSideTheyChangeAndTheWorldToBoth() throws Exception {
    Result result =
        bash(
            "source bench/traffics && split_candidate_args --lag-seconds 60 --param a=1"
                + " --param=b=2 --feed-forward-seconds 60 --launch-seconds 30-60"
                + " && echo \"${candidate_args[*]}\" && echo \"${both_args[*]}\"");

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output().lines())
        .containsExactly(
            "--param a=1 --param b=2 --feed-forward-seconds 60",
            "--lag-seconds 60 --launch-seconds 30-60");
  }

  @Test
  void aCheckWithNothingToCompareIsRefusedBeforeAnythingRuns() throws Exception {
    for (String arguments :
        List.of(
            "", "--lag-seconds 60", "--param", "--param x", "--param=x", "--idle-check-seconds")) {
      Result result = bash("source bench/traffics && split_candidate_args " + arguments);

      assertThat(result.exit()).as(arguments + ": " + result.output()).isEqualTo(2);
    }
  }

  @Test
  void tunedOnlyLeavesOutExactlyTheHeldOutTraffic() throws Exception {
    Result result =
        bash(
            "source bench/traffics && echo \"${held_out[*]}\" && echo ${#traffics[@]}"
                + " && keep_tuned_traffics && for t in \"${traffics[@]}\"; do echo \"${t%%::*}\";"
                + " done");

    assertThat(result.exit()).as(result.output()).isZero();
    List<String> lines = result.output().lines().toList();
    List<String> heldOut = List.of(lines.get(0).split(" "));
    int all = Integer.parseInt(lines.get(1));
    List<String> kept = lines.subList(2, lines.size());
    assertThat(heldOut).isNotEmpty();
    assertThat(kept).hasSize(all - heldOut.size()).doesNotContainAnyElementsOf(heldOut);
    assertThat(kept).contains("nasa-launch-day", "azure-code", "burst");
  }

  @Test
  void aHeldOutNameThatIsNoTrafficIsRefused() throws Exception {
    Result result =
        bash("source bench/traffics && held_out+=(nasa-jul-02-renamed) && keep_tuned_traffics");

    assertThat(result.exit()).as(result.output()).isEqualTo(2);
    assertThat(result.output()).contains("nasa-jul-02-renamed");
  }

  @Test
  void pastTheGridBeginsWithTheChecksGridAndEndsWhereTheReportReadsIt() throws Exception {
    Result result = bash("source bench/traffics && echo \"$past_grid_targets\"");

    assertThat(result.exit()).as(result.output()).isZero();
    List<Integer> targets =
        Arrays.stream(result.output().strip().split(",")).map(Integer::valueOf).toList();
    assertThat(targets.subList(0, Frontier.TARGETS.size())).isEqualTo(Frontier.TARGETS);
    // report.py reads the checks at the grid's last target and at each run past it.
    Matcher ends =
        Pattern.compile("PAST_GRID_ENDS = \\(([0-9, ]+)\\)")
            .matcher(Files.readString(Path.of("bench/report.py")));
    assertThat(ends.find()).as("report.py names PAST_GRID_ENDS").isTrue();
    List<Integer> read =
        Arrays.stream(ends.group(1).split(",")).map(String::strip).map(Integer::valueOf).toList();
    List<Integer> past = targets.subList(Frontier.TARGETS.size() - 1, targets.size());
    assertThat(read).isEqualTo(past);
  }

  private record Result(int exit, String output) {}

  private static Result bash(String script) throws Exception {
    Process process =
        new ProcessBuilder("bash", "-c", "set -euo pipefail; " + script)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
