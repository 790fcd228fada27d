package dev.queuescaler.local;

import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.DecisionSink;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every tick's decision: printed as a live line, kept for {@code timeline.csv} (columns exactly
 * {@code time, visible, inFlight, desired, running, action}) and the chart.
 */
final class Timeline implements DecisionSink {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final PrintStream live;
  private final List<DecisionRecord> ticks = new ArrayList<>();

  Timeline(PrintStream live) {
    this.live = live;
  }

  @Override
  public synchronized void accept(TargetOutcome outcome) {
    DecisionRecord d = outcome.decision();
    ticks.add(d);
    live.printf(
        Locale.ROOT,
        "%s  visible %6s  in flight %5s  desired %3s  running %3s  %-9s %s%s%n",
        CLOCK.format(d.time()),
        shown(d.visible()),
        shown(d.inFlight()),
        shown(d.desired()),
        shown(d.running()),
        d.action(),
        d.reason(),
        d.errors().isEmpty() ? "" : "  " + d.errors());
  }

  /** A value that was read, or "-" for one that was not (an unreadable queue or service). */
  private static String shown(Optional<? extends Number> value) {
    return value.map(String::valueOf).orElse("-");
  }

  synchronized List<DecisionRecord> ticks() {
    return List.copyOf(ticks);
  }

  synchronized long scalingActions() {
    return ticks.stream().filter(d -> d.action() != Action.HOLD).count();
  }

  synchronized long maxBacklog() {
    return ticks.stream().flatMap(d -> d.visible().stream()).mapToLong(v -> v).max().orElse(0);
  }

  synchronized void write(Path dir) throws IOException {
    List<String> csv = new ArrayList<>();
    csv.add("time,visible,inFlight,desired,running,action");
    for (DecisionRecord d : ticks) {
      csv.add(
          d.time()
              + ","
              + d.visible().map(String::valueOf).orElse("")
              + ","
              + d.inFlight().map(String::valueOf).orElse("")
              + ","
              + d.desired().map(String::valueOf).orElse("")
              + ","
              + d.running().map(String::valueOf).orElse("")
              + ","
              + d.action());
    }
    Files.write(dir.resolve("timeline.csv"), csv);
    // The chart shows the ticks where both the queue and the service were read.
    List<DecisionRecord> ticks =
        this.ticks.stream().filter(d -> d.queue().isPresent() && d.service().isPresent()).toList();
    if (ticks.isEmpty()) {
      return;
    }
    double start = ticks.get(0).time().toEpochMilli() / 1000.0;
    double[] seconds = new double[ticks.size()];
    double[] backlog = new double[ticks.size()];
    double[] desired = new double[ticks.size()];
    double[] running = new double[ticks.size()];
    for (int i = 0; i < ticks.size(); i++) {
      DecisionRecord d = ticks.get(i);
      seconds[i] = d.time().toEpochMilli() / 1000.0 - start;
      backlog[i] = d.visible().orElseThrow() + d.inFlight().orElseThrow();
      desired[i] = d.desired().orElseThrow();
      running[i] = d.running().orElseThrow();
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(500)
            .title("local run: backlog and tasks")
            .xAxisTitle("seconds")
            .yAxisTitle("messages (visible + in flight)")
            .build();
    chart.addSeries("backlog", seconds, backlog).setMarker(SeriesMarkers.NONE);
    chart
        .addSeries("desired tasks", seconds, desired)
        .setMarker(SeriesMarkers.NONE)
        .setYAxisGroup(1);
    chart
        .addSeries("running tasks", seconds, running)
        .setMarker(SeriesMarkers.NONE)
        .setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "tasks");
    // No disk cache: its cleanup registers a shutdown hook, refused while Ctrl-C shuts down.
    javax.imageio.ImageIO.setUseCache(false);
    BitmapEncoder.saveBitmap(
        chart, dir.resolve("chart.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
