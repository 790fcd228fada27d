package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceFileTest {

  @TempDir Path dir;

  private Path file(String text) throws Exception {
    Path file = dir.resolve("trace.csv");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void spreadsEachMinutesCountOverItsSeconds() throws Exception {
    int[] perSecond = TraceFile.read(file("minute,count\n0,30\n1,0\n2,90\n"), 1, 0, -1, 1);

    assertThat(perSecond).hasSize(180);
    assertThat(Arrays.stream(perSecond, 0, 60).sum()).isEqualTo(30);
    assertThat(Arrays.stream(perSecond, 60, 120).sum()).isZero();
    assertThat(Arrays.stream(perSecond, 120, 180).sum()).isEqualTo(90);
  }

  @Test
  void scalesAndWindowsTheTrace() throws Exception {
    int[] perSecond = TraceFile.read(file("second,count\n0,1\n1,2\n2,3\n3,4\n"), 10, 1, 3, 1);

    assertThat(perSecond).containsExactly(20, 30);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a wrong header | 'time,n\n0,1\n' | :1: expected the header",
        "a missing field | 'minute,count\n0,1\n1\n' | :3: expected two comma-separated fields",
        "a non-integer | 'minute,count\n0,1\n1,x\n' | :3: expected two integers",
        "a gap in the index | 'minute,count\n0,1\n2,5\n' | :3: expected index 1 but was 2",
        "a negative count | 'minute,count\n0,-4\n' | :2: count must be >= 0",
        "a header and nothing else | 'minute,count\n\n' | has its header \"minute,count\" but no"
            + " data rows",
        "only blank lines | '\n \n\n' | is empty: expected the header",
        "a blank line inside | 'minute,count\n0,1\n\n1,2\n' | :3: expected two comma-separated"
            + " fields but was \"\"",
        "a header in another case | 'Minute,Count\n0,1\n' | :1: expected the header"
            + " \"minute,count\" or \"second,count\" but was \"Minute,Count\"",
        "a no-break space in the header | 'minute,\u00A0count\n0,1\n' | but was"
            + " \"minute,\\u00A0count\"",
        "a tab in the header | 'minute\tcount\n0,1\n' | but was \"minute\\tcount\""
      })
  void rejectsAMalformedFileWithTheLineNumber(String name, String text, String message)
      throws Exception {
    Path file = file(text.replace("\\n", "\n").replace("\\t", "\t"));

    assertThatThrownBy(() -> TraceFile.read(file, 1, 0, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a byte order mark | '\uFEFFminute,count\n0,30\n1,0\n2,90\n'",
        "trailing blank lines | 'minute,count\n0,30\n1,0\n2,90\n\n  \n\n'",
        "Windows line ends | 'minute,count\r\n0,30\r\n1,0\r\n2,90\r\n'",
        "all three | '\uFEFFminute,count\r\n0,30\r\n1,0\r\n2,90\r\n\r\n'"
      })
  void acceptsWhatEditorsAndSpreadsheetsAdd(String name, String text) throws Exception {
    TraceFile.Trace trace = TraceFile.load(file(text.replace("\\n", "\n").replace("\\r", "\r")));

    assertThat(trace.binSeconds()).isEqualTo(60);
    assertThat(trace.counts()).containsExactly(30, 0, 90);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.csv");

    assertThatThrownBy(() -> TraceFile.load(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trace file " + missing + " does not exist");
  }

  @Test
  void aWindowOfAPerMinuteTraceDrawsAsTheWholeTraceDoesForThoseMinutes() throws Exception {
    Path path = file("minute,count\n0,3\n1,5\n2,7\n");

    int[] window = TraceFile.read(path, 1, 1, 3, 9);

    assertThat(window).hasSize(120);
    assertThat(Arrays.stream(window, 0, 60).sum()).isEqualTo(5);
    assertThat(Arrays.stream(window, 60, 120).sum()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "nasa_http_jul1995_per_minute.csv, 60, 39693",
    "azure_llm_conv_2023_per_second.csv, 1, 3503",
    "azure_llm_code_2023_per_second.csv, 1, 3437"
  })
  void readsTheTracesTheProjectShips(String name, int binSeconds, int bins) throws Exception {
    Path trace = Path.of("..", "traces", name);

    int[] all = TraceFile.read(trace, 1, 0, -1, 1);

    assertThat(all).hasSize(bins * binSeconds);
    assertThat(Arrays.stream(all).sum()).isPositive();
  }
}
