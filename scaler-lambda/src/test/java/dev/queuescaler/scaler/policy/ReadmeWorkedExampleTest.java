package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's worked example, replayed minute by minute through the real policy with the defaults:
 * the table is read from the README itself, so the two cannot drift apart.
 */
class ReadmeWorkedExampleTest {

  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  /** One README row: a minute or a range of minutes with the same inputs and outcome. */
  private record Row(
      int from,
      int to,
      long visible,
      long inFlight,
      long backlog,
      int recommended,
      int desired,
      Action action,
      Reason reason) {}

  @Test
  void theReadmeTableIsWhatThePolicyDoes() throws IOException {
    List<Row> rows = readmeRows();
    assertThat(rows).as("the example table in README.md").hasSizeGreaterThanOrEqualTo(5);

    ScalingParameters defaults = ScalingParameters.BACKLOG_PER_TASK_DEFAULTS;
    ScalingHistory history = ScalingHistory.EMPTY;
    int current = 1;
    for (Row row : rows) {
      for (int minute = row.from(); minute <= row.to(); minute++) {
        Instant now = T0.plusSeconds(60L * minute);
        Decision decision =
            ScalingPolicy.decide(
                defaults,
                new QueueSnapshot(row.visible(), row.inFlight(), 0),
                new ServiceSnapshot(current, current, 0),
                history,
                now);

        String at = "minute " + minute;
        assertThat(decision.backlog()).as(at + " backlog").isEqualTo(row.backlog());
        assertThat(decision.recommended()).as(at + " recommended").isEqualTo(row.recommended());
        assertThat(decision.desired()).as(at + " desired").isEqualTo(row.desired());
        assertThat(decision.action()).as(at + " action").isEqualTo(row.action());
        assertThat(decision.reason()).as(at + " reason").isEqualTo(row.reason());
        history =
            history.after(
                now,
                decision.recommended(),
                decision.action() == Action.SCALE_OUT,
                defaults.scaleInStabilization());
        current = decision.desired();
      }
    }
  }

  private static List<Row> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int header =
        lines.indexOf(
            "| minute | visible | in flight | backlog | recommended | desired | action | reason |"
                + " why |");
    assertThat(header).as("the worked example's header in README.md").isNotNegative();
    List<Row> rows = new ArrayList<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      String[] minutes = cells[1].trim().split("-");
      rows.add(
          new Row(
              Integer.parseInt(minutes[0]),
              Integer.parseInt(minutes[minutes.length - 1]),
              Long.parseLong(cells[2].trim()),
              Long.parseLong(cells[3].trim()),
              Long.parseLong(cells[4].trim()),
              Integer.parseInt(cells[5].trim()),
              Integer.parseInt(cells[6].trim()),
              Action.valueOf(cells[7].trim()),
              Reason.valueOf(cells[8].trim())));
    }
    return rows;
  }
}
