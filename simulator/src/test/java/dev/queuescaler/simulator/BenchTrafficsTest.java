package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/traffics}' {@code run_seed}, the loop {@code bench/candidate} runs for every seed:
 * each {@code compare} it starts must be one the CLI accepts, or the benchmark stops at its first
 * seed. A stand-in {@code java} on the PATH records the command lines instead of simulating.
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
}
