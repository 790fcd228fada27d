package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** What ./run-local answers to bad input, through the same picocli entry point as its main. */
class LocalRunCliTest {

  @TempDir Path dir;
  private Path config;

  record Run(int exit, String stdout, String stderr) {}

  @BeforeEach
  void tunables() throws Exception {
    config = dir.resolve("scaler.properties");
    Files.writeString(config, "max-tasks=2\n");
  }

  /** The run's picocli entry point with its console, stdout and stderr captured. */
  private static Run local(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream originalErr = System.err;
    System.setErr(stderr);
    int exit;
    try {
      CommandLine cli = LocalRun.commandLine(new LocalRun(stdout));
      cli.setOut(new PrintWriter(stdout, true));
      cli.setErr(new PrintWriter(stderr, true));
      exit = cli.execute(args);
    } finally {
      System.setErr(originalErr);
    }
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** With a valid --config and --out unless the case gives its own, then the case's flags. */
  private Run localWith(String... flags) {
    List<String> args = new ArrayList<>();
    if (!List.of(flags).contains("--config")) {
      args.addAll(List.of("--config", config.toString()));
    }
    if (!List.of(flags).contains("--out")) {
      args.addAll(List.of("--out", dir.resolve("out").toString()));
    }
    args.addAll(List.of(flags));
    return local(args.toArray(String[]::new));
  }

  /** Exit 2 and exactly one line on stderr, the one expected: no stack trace, nothing run. */
  private static void assertRejected(Run run, String line) {
    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).isEqualTo(line + System.lineSeparator());
    assertThat(run.stdout()).as("nothing started").isEmpty();
  }

  @Test
  void aMissingTraceProfileIsNamedAndExitsTwo() {
    Path missing = dir.resolve("missing.csv");

    assertRejected(
        localWith("--profile", "trace:" + missing),
        "local: trace file " + missing + " does not exist");
  }

  @Test
  void anEmptyTraceProfileIsNamedAndExitsTwo() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");

    assertRejected(
        localWith("--profile", "trace:" + empty),
        "local: trace file "
            + empty
            + " is empty: expected the header \"minute,count\" or \"second,count\"");
  }

  @Test
  void aMissingConfigIsAnErrorNotARunOnCodeDefaults() {
    Path missing = dir.resolve("missing.properties");

    assertRejected(
        localWith("--config", missing.toString()),
        "local: --config "
            + missing
            + " does not exist: give the tunables file (local/scaler.properties from the"
            + " repository root)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a typo of a key | max-task=8 | max-task is not a setting; did you mean max-tasks?",
        "a value out of range | backlog-per-task=0 | backlog-per-task: 0 is out of range (>= 1)",
        "a policy typo | policy=backlog-and-lode | policy: \"backlog-and-lode\" is not one of"
            + " backlog-per-task, backlog-and-load"
      })
  void aConfigTheScalerWouldRejectIsRejectedBeforeTheRun(String name, String line, String problem)
      throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.properties"), line + "\n");

    assertRejected(
        localWith("--config", bad.toString()),
        "local: --config " + bad + " is rejected: " + problem);
  }

  /**
   * docs/local.md: bad input gets one line that names the flag or file. A \\u escape that is not
   * four hex digits (a Windows path pasted as a value, C:\\users) is named so too, not left to
   * java.util.Properties' own words ("Malformed \\uxxxx encoding."), which name neither.
   */
  /** java.util.Properties drops a backslash that starts no escape: 5\\0 would read as 50. */
  @Test
  void aConfigValueWithABackslashIsRefusedNotReadAsAnotherNumber() throws Exception {
    Path typo =
        Files.writeString(
            dir.resolve("typo.properties"), "# a comment may say C:\\users\nmax-tasks=5\\0\n");

    Run run = localWith("--config", typo.toString());

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith(
            "local: --config " + typo + " is rejected: max-tasks: \"5\\\\0\" is not an integer");
    assertThat(run.stdout()).as("nothing started").isEmpty();
  }

  @Test
  void aConfigWithAMalformedUnicodeEscapeIsNamed() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.properties"), "max-tasks=\\u00zz\n");

    Run run = localWith("--config", broken.toString());

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("local: --config " + broken + " ");
    assertThat(run.stdout()).as("nothing started").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--work-millis below 0 | --work-millis -5 | --work-millis must be from 0 to 43200000 (12"
            + " h) but was -5",
        "--tick 0s | --tick 0s | --tick must be positive (from 100ms to 1h) but was \"0s\"",
        "--tick below 0 | --tick -5s | --tick must be positive (from 100ms to 1h) but was \"-5s\"",
        "--tick above its range | --tick 2h | --tick must be from 100ms to 1h but was \"2h\"",
        "--duration not a duration | --duration soon | --duration must be a duration such as 90s,"
            + " 10m or 1h (from 1s to 7d) but was \"soon\"",
        "--duration below its range | --duration 500ms | --duration must be from 1s to 7d but was"
            + " \"500ms\"",
        "--launch-delay 0s | --launch-delay 0s | --launch-delay must be positive (from 100ms to"
            + " 10m) but was \"0s\"",
        "--profile unknown | --profile bursty | --profile must be mixed, burst, sine or"
            + " trace:FILE but was bursty",
        "--tracing unknown | --tracing bogus | --tracing must be xray, otel or off but was"
            + " \"bogus\""
      })
  void aFlagOutOfRangeIsRejectedByName(String name, String flags, String line) {
    assertRejected(localWith(flags.split(" ")), "local: " + line);
  }

  @Test
  void anOutThatIsAFileIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertRejected(
        localWith("--out", file.toString()),
        "local: --out " + file + " is a file, not a directory");
  }

  @Test
  void helpGoesToStdoutAndExitsZero() {
    Run run = local("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).startsWith("Usage: local").contains("--work-millis");
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void versionPrintsThePomsVersionAndExitsZero() throws Exception {
    var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    String version = XPathFactory.newInstance().newXPath().evaluate("/project/parent/version", pom);

    Run run = local("--version");

    assertThat(run.exit()).isZero();
    assertThat(version).isNotBlank();
    assertThat(run.stdout().strip()).isEqualTo("local " + version);
  }

  @Test
  void aRunWhereNothingWasProcessedSaysSoInsteadOfAZeroAge() throws Exception {
    Path quiet = Files.writeString(dir.resolve("quiet.csv"), "second,count\n0,0\n1,0\n2,0\n");
    Path out = dir.resolve("out");

    Run run =
        localWith(
            "--duration", "2s",
            "--tick", "1s",
            "--launch-delay", "1s",
            "--profile", "trace:" + quiet,
            "--out", out.toString());

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines().filter(line -> line.startsWith("summary: ")))
        .singleElement()
        .asString()
        .startsWith("summary: no message was processed (p50/p99 message age n/a); ");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("processed").asLong()).isZero();
    assertThat(summary.get("p50AgeSeconds").isNull()).isTrue();
    assertThat(summary.get("p99AgeSeconds").isNull()).isTrue();
  }

  /**
   * docs/local.md: "When no message was processed, there is no message age". A run whose messages
   * all outlast it (--work-millis longer than --duration) processes none: it reports no age,
   * although its workers started every message.
   */
  @Test
  void aRunWhoseStartedMessagesNeverFinishHasNoAgeEither() throws Exception {
    Path five = Files.writeString(dir.resolve("five.csv"), "second,count\n0,5\n1,0\n2,0\n");
    Path out = dir.resolve("out");

    Run run =
        localWith(
            "--duration", "3s",
            "--tick", "1s",
            "--launch-delay", "100ms",
            "--work-millis", "600000",
            "--profile", "trace:" + five,
            "--out", out.toString());

    assertThat(run.exit()).as(run.stderr()).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("messagesSent").asLong()).isEqualTo(5);
    assertThat(summary.get("processed").asLong()).isZero();
    assertThat(summary.get("p50AgeSeconds").isNull()).as(summary.toString()).isTrue();
    assertThat(summary.get("p99AgeSeconds").isNull()).as(summary.toString()).isTrue();
    assertThat(run.stdout().lines().filter(line -> line.startsWith("summary: ")))
        .singleElement()
        .asString()
        .startsWith("summary: no message was processed (p50/p99 message age n/a); ");
  }

  /** A value picocli cannot convert: its one line (and a pointer to --help), not the usage. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not an int | 1e9 | local: Invalid value for option '--work-millis': '1e9' is not an int"
            + " (see local --help)",
        "empty | '' | local: Invalid value for option '--work-millis': '' is not an int (see local"
            + " --help)"
      })
  void aWorkMillisOfTheWrongTypeIsOneLine(String name, String value, String line) {
    assertRejected(localWith("--work-millis", value), line);
  }

  /** A count beyond any run used to hang (10^11) or wrap to nothing (3*10^9). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a minute of 10^11 messages | minute | 100000000000 | minutes 0..1",
        "a second of more than an int | second | 3000000000 | seconds 0..1"
      })
  void aTraceCountBeyondAnyRunIsNamed(String name, String bin, String count, String window)
      throws Exception {
    Path huge = Files.writeString(dir.resolve("huge.csv"), bin + ",count\n0," + count + "\n");

    assertRejected(
        localWith("--profile", "trace:" + huge),
        "local: "
            + huge
            + " holds "
            + count
            + " messages in "
            + window
            + ", more than the 50000000 one run can replay");
  }

  @Test
  void aTraceProfileWithoutAFileIsNamed() {
    assertRejected(
        localWith("--profile", "trace:"),
        "local: --profile trace: needs a file, e.g. trace:traces/x.csv");
  }

  /** As the simulator's --scenario BURST: the names in any case. */
  @Test
  void aProfileNameIsTakenInAnyCase() {
    assertThat(LoadShape.parse("BURST", 600).messagesAt(20)).isEqualTo(2_000);
    assertThat(LoadShape.parse("Mixed", 600).messagesAt(75)).isEqualTo(2_000);
  }

  @Test
  void anEmptyOutIsRejectedNotTheWorkingDirectory() {
    assertRejected(localWith("--out", ""), "local: --out must name a directory but was empty");
  }

  /** The directory used to be made outside the checks, a stack trace. */
  @Test
  void anOutThatCannotBeMadeIsOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path out = file.resolve("results");

    Run run = localWith("--out", out.toString());

    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().lines()).as(run.stderr()).singleElement();
    assertThat(run.stderr()).startsWith("local: --out " + out + " cannot be created: ");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void anOutWhoseResultFileIsADirectoryIsOneLine() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("summary.json"));

    assertRejected(
        localWith("--out", out.toString()),
        "local: --out " + out + " cannot be written: its summary.json is a directory");
  }
}
