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
        "a negative count | 'minute,count\n0,-4\n' | :2: count must be >= 0"
      })
  void rejectsAMalformedFileWithTheLineNumber(String name, String text, String message)
      throws Exception {
    Path file = file(text.replace("\\n", "\n"));

    assertThatThrownBy(() -> TraceFile.read(file, 1, 0, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
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
