package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short local run: a burst, a 1 s tick, 1 s launches. */
class LocalRunTest {

  @TempDir Path dir;

  @Test
  void theFleetFollowsABurstUpToTheFormulaAndBackToMinAndEveryMessageIsProcessed()
      throws Exception {
    Path config = dir.resolve("scaler.properties");
    Files.writeString(
        config,
        "policy=backlog-per-task\nbacklog-per-task=500\nmax-tasks=8\nmin-tasks=0\n"
            + "scale-in-stabilization-seconds=2\nscale-to-zero-delay-seconds=2\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(new PrintStream(console, true, StandardCharsets.UTF_8));
    run.out = dir.resolve("out");
    run.config = config;
    run.workMillis = 100;
    run.profile = "burst";

    RunSummary summary =
        run.run(
            Duration.ofSeconds(25),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            LoadShape.burst(25));

    assertThat(summary.messagesSent()).isEqualTo(2_000);
    assertThat(summary.processed()).isEqualTo(2_000);
    assertThat(summary.failedToDeadLetterQueue()).isZero();

    List<String> timeline = Files.readAllLines(run.out.resolve("timeline.csv"));
    assertThat(timeline.get(0)).isEqualTo("time,visible,inFlight,desired,running,action");
    List<int[]> rows =
        timeline.stream()
            .skip(1)
            .map(line -> line.split(","))
            .map(f -> new int[] {Integer.parseInt(f[3]), Integer.parseInt(f[4])})
            .toList();
    assertThat(rows.get(0)[0]).as("starts at min").isZero();
    assertThat(rows.stream().mapToInt(r -> r[0]).max().orElse(0))
        .as("up to ceil(2000 / 500)")
        .isEqualTo(4);
    assertThat(rows.get(rows.size() - 1)[0]).as("back to min after the burst drains").isZero();
    assertThat(timeline).allSatisfy(line -> assertThat(line.split(",")).hasSize(6));

    JsonNode json = new ObjectMapper().readTree(run.out.resolve("summary.json").toFile());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "messagesSent",
            "processed",
            "failedToDeadLetterQueue",
            "maxBacklog",
            "p50AgeSeconds",
            "p99AgeSeconds",
            "taskMinutes",
            "scalingActions");
    assertThat(json.get("scalingActions").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(json.get("taskMinutes").asDouble()).isPositive();
    assertThat(Files.readAllBytes(run.out.resolve("chart.png"))).startsWith(0x89, 'P', 'N', 'G');
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("SCALE_OUT")
        .contains("x-ray")
        .contains("decide target=local");
  }

  @Test
  void withOpenTelemetryEachDecisionsTraceIsPrintedAndMessagesAreTracedFromSendToReceive()
      throws Exception {
    Path config = dir.resolve("scaler.properties");
    Files.writeString(config, "policy=backlog-per-task\nbacklog-per-task=100\nmax-tasks=2\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(new PrintStream(console, true, StandardCharsets.UTF_8));
    run.out = dir.resolve("otel");
    run.config = config;
    run.workMillis = 10;
    run.profile = "burst";
    run.tracing = "otel";

    run.run(
        Duration.ofSeconds(8), Duration.ofSeconds(1), Duration.ofMillis(500), LoadShape.burst(8));

    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(printed).containsPattern("otel  1-[0-9a-f]{8}-[0-9a-f]{24} decide target=local");
    java.util.regex.Matcher traced =
        java.util.regex.Pattern.compile("(\\d+) messages traced from the generator's send")
            .matcher(printed);
    assertThat(traced.find()).as(printed).isTrue();
    assertThat(Long.parseLong(traced.group(1))).isPositive();
  }

  /**
   * The generator's spans leave in batches every few seconds: a message sent in the run's last
   * seconds and processed before it ends is traced end to end all the same, and the count says so.
   */
  @Test
  void withOpenTelemetryEveryProcessedMessageIsCountedAsTracedEvenIfSentInTheLastSeconds()
      throws Exception {
    Path config = dir.resolve("scaler.properties");
    Files.writeString(config, "policy=backlog-per-task\nbacklog-per-task=100\nmax-tasks=2\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LocalRun run = new LocalRun(new PrintStream(console, true, StandardCharsets.UTF_8));
    run.out = dir.resolve("otel-late");
    run.config = config;
    run.workMillis = 10;
    run.profile = "burst";
    run.tracing = "otel";

    // Two sends: at the start, and in the run's last second, just after the generator's batch
    // left for the first time (every 5 s from its start, which precedes the run's first second).
    RunSummary summary =
        run.run(
            Duration.ofSeconds(6),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            second -> second == 0 || second == 5 ? 20 : 0);

    String printed = console.toString(StandardCharsets.UTF_8);
    java.util.regex.Matcher traced =
        java.util.regex.Pattern.compile("(\\d+) messages traced from the generator's send")
            .matcher(printed);
    assertThat(traced.find()).as(printed).isTrue();
    assertThat(summary.processed()).as("the late send was processed before the end").isEqualTo(40);
    assertThat(Long.parseLong(traced.group(1))).as(printed).isEqualTo(summary.processed());
  }

  @Test
  void durationsReadLikeThePeopleWhoWriteThem() {
    assertThat(LocalRun.TICK.parse("90s", "--tick")).isEqualTo(Duration.ofSeconds(90));
    assertThat(LocalRun.RUN.parse("10m", "--duration")).isEqualTo(Duration.ofMinutes(10));
    assertThat(LocalRun.TICK.parse("500ms", "--tick")).isEqualTo(Duration.ofMillis(500));
    assertThat(LocalRun.RUN.parse("2d", "--duration")).isEqualTo(Duration.ofDays(2));
    assertThat(LocalRun.TICK.parse(" 1H ", "--tick")).isEqualTo(Duration.ofHours(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalRun.TICK.parse("soon", "--tick"))
        .hasMessage(
            "--tick must be a duration such as 90s, 10m or 1h (from 100ms to 1h) but was \"soon\"");
  }
}
