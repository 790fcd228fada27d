package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A periodic step of the local run that throws is logged and the run goes on, through {@link
 * LocalRun}'s own scheduling: a bare {@code scheduleAtFixedRate} cancels a task whose run throws,
 * silently, and the run would then never reach its end (the generate step is what ends it).
 */
class KeepRunningTest {

  @TempDir Path dir;

  @Test
  void aGenerateStepThatThrowsIsLoggedAndTheRunGoesOnToItsEnd() throws Exception {
    Path config = dir.resolve("scaler.properties");
    Files.writeString(config, "policy=backlog-per-task\nbacklog-per-task=500\nmax-tasks=1\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(new PrintStream(console, true, StandardCharsets.UTF_8));
    run.out = dir.resolve("out");
    run.config = config;
    run.workMillis = 10;
    // Second 1 fails (an unreadable trace line, say); second 2 sends three messages.
    LoadShape failsOnce =
        second -> {
          if (second == 1) {
            throw new IllegalStateException("trace line 2 unreadable");
          }
          return second == 2 ? 3 : 0;
        };

    RunSummary summary =
        assertTimeoutPreemptively(
            Duration.ofSeconds(40),
            () ->
                run.run(
                    Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ofSeconds(1), failsOnce),
            "the run never ended: its generate step stopped at the first failure");

    assertThat(summary.messagesSent()).as("generated after the failure").isEqualTo(3);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("generate failed, the run goes on and tries again on schedule")
        .contains("trace line 2 unreadable")
        .contains("\"level\":\"ERROR\"");
  }
}
