package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/candidate} run as an engineer runs it, in a copy of its folder where {@code mvnw}
 * builds nothing and a stand-in {@code java} records each {@code compare} and writes the summary
 * its table reads: which side gets which argument, and which traffic {@code TUNED_ONLY=1} runs.
 */
class BenchCandidateTest {

  private static final String STAND_IN_JAVA =
      """
      #!/bin/sh
      printf '%s\\n' "$*" >> "$CALLS"
      out=""; previous=""
      for argument in "$@"; do
        [ "$previous" = "--out" ] && out=$argument
        previous=$argument
      done
      mkdir -p "$out"
      printf 'policy,p99AgeSeconds,taskMinutes,scalingActions\\n' > "$out/summary.csv"
      for policy in queue-scaler queue-scaler-backlog-per-task keda-hpa; do
        printf '%s,1,1,1\\n' "$policy" >> "$out/summary.csv"
      done
      """;

  @Test
  void theWorldReachesBothSidesTheSettingOnlyTheCandidatesAndNoHeldOutTraceRuns(@TempDir Path dir)
      throws Exception {
    Path calls = dir.resolve("calls");

    Result result = candidate(dir, calls, "1", "--lag-seconds", "60", "--param", "a=1");

    assertThat(result.exit()).as(result.output()).isZero();
    List<String> lines = Files.readAllLines(calls);
    List<String> candidate = lines.stream().filter(l -> l.contains("/candidate/42/")).toList();
    List<String> defaults = lines.stream().filter(l -> l.contains("/defaults/42/")).toList();
    assertThat(candidate).hasSize(8).allMatch(l -> l.contains("--lag-seconds 60 --param a=1"));
    assertThat(defaults)
        .hasSize(8)
        .allMatch(l -> l.contains("--lag-seconds 60"))
        .noneMatch(l -> l.contains("--param"));
    assertThat(lines).noneMatch(l -> l.matches(".*/(nasa-jul-02|nasa-jul-21|azure-conv)( .*|$)"));
    assertThat(result.output()).contains("| azure-code |").doesNotContain("| azure-conv |");
  }

  @Test
  void aCheckWithNothingToCompareStopsBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    Path calls = dir.resolve("calls");

    Result result = candidate(dir, calls, "", "--lag-seconds", "60");

    assertThat(result.exit()).as(result.output()).isEqualTo(2);
    assertThat(calls).doesNotExist();
  }

  private record Result(int exit, String output) {}

  /** Runs a copy of bench/candidate with {@code SEEDS=42} and {@code TUNED_ONLY=tunedOnly}. */
  private static Result candidate(Path dir, Path calls, String tunedOnly, String... arguments)
      throws Exception {
    Path bench = Files.createDirectories(dir.resolve("repo/simulator/bench"));
    for (String script : List.of("candidate", "traffics")) {
      Files.copy(
          Path.of("bench", script), bench.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
    }
    executable(dir.resolve("repo/mvnw"), "#!/bin/sh\nexit 0\n");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    executable(bin.resolve("java"), STAND_IN_JAVA);
    ProcessBuilder run =
        new ProcessBuilder(
                concat(List.of("bash", bench.resolve("candidate").toString()), arguments))
            .redirectErrorStream(true);
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment().put("CALLS", calls.toString());
    run.environment().put("SEEDS", "42");
    run.environment().put("BENCH_JOBS", "1");
    run.environment().put("TUNED_ONLY", tunedOnly);
    Process process = run.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static List<String> concat(List<String> head, String... tail) {
    return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toList();
  }

  private static void executable(Path file, String content) throws Exception {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
