package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHANGELOG: a backslash in the tunables file is refused "before the run, and in a mid-run edit,
 * which leaves the last settings in force". With the last settings in force, load that comes after
 * such an edit is scaled for as those settings say.
 */
class MidRunBackslashTest {

  @TempDir Path dir;

  @Test
  void aMidRunEditWithABackslashLeavesTheLastSettingsInForce() throws Exception {
    Path config = dir.resolve("scaler.properties");
    String settings =
        "policy=backlog-per-task\nbacklog-per-task=10\nmax-tasks=2\nmin-tasks=0\n"
            + "scale-out-cooldown-seconds=0\n";
    Files.writeString(config, settings);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(new PrintStream(console, true, StandardCharsets.UTF_8));
    run.out = dir.resolve("out");
    run.config = config;
    run.workMillis = 10;
    run.profile = "burst";

    // At second 1 the file is edited with a typo (5\0 for 50); at second 3, 100 messages come.
    RunSummary summary =
        run.run(
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            second -> {
              if (second == 1) {
                try {
                  // As an editor saves: whole, by a rename, so no tick reads a half-written file.
                  Path edited =
                      Files.writeString(
                          dir.resolve("scaler.properties.new"),
                          settings.replace("max-tasks=2", "max-tasks=5\\0"));
                  Files.move(edited, config, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
              return second == 3 ? 100 : 0;
            });

    List<String> timeline = Files.readAllLines(run.out.resolve("timeline.csv"));
    int maxDesired =
        timeline.stream()
            .skip(1)
            .mapToInt(line -> Integer.parseInt(line.split(",")[3]))
            .max()
            .orElse(0);
    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(maxDesired).as("max-tasks=2 still in force: %s", printed).isEqualTo(2);
    assertThat(summary.processed()).as(printed).isEqualTo(100);
  }
}
