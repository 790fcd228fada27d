package dev.queuescaler.simulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes summary.csv, summary.md, timeline.csv and chart.png for a comparison. */
final class Reports {

  private Reports() {}

  /** What {@link #write} writes into its directory. */
  static final List<String> FILES =
      List.of("summary.csv", "summary.md", "timeline.csv", "chart.png");

  static void write(
      Path dir,
      String title,
      List<Results.PolicyResult> results,
      List<String> settings,
      SimConfig config,
      int[] arrivalsPerMinute)
      throws IOException {
    Files.createDirectories(dir);
    List<String> csv = new ArrayList<>();
    csv.add(Results.PolicyResult.CSV_HEADER);
    results.forEach(r -> csv.add(r.csvRow()));
    Files.write(dir.resolve("summary.csv"), csv);
    Files.writeString(dir.resolve("summary.md"), markdown(title, results, settings, config));
    Files.write(dir.resolve("timeline.csv"), timeline(results, arrivalsPerMinute));
    chart(dir.resolve("chart.png"), title, results);
  }

  static String markdown(
      String title, List<Results.PolicyResult> results, List<String> settings, SimConfig config) {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(title).append("\n\n");
    md.append(
        "| policy | p50 age s | p95 age s | p99 age s | max age s | within "
            + (int) config.sloSeconds()
            + " s | task-min | x lower bound | actions | first task s | max backlog | arrived | processed |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.PolicyResult r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.1f | %.1f %% | %.0f | %.2f | %d | %s | %d | %d | %d |%n",
              r.policy(),
              r.p50AgeSeconds(),
              r.p95AgeSeconds(),
              r.p99AgeSeconds(),
              r.maxAgeSeconds(),
              100 * r.sloAttainment(),
              r.taskMinutes(),
              r.costRatio(),
              r.scalingActions(),
              Double.isNaN(r.firstTaskSeconds())
                  ? "-"
                  : String.format(Locale.ROOT, "%.0f", r.firstTaskSeconds()),
              r.maxBacklog(),
              r.arrived(),
              r.processed()));
    }
    md.append("\nSettings (same min/max tasks for all: ")
        .append(config.minTasks())
        .append("..")
        .append(config.maxTasks())
        .append(", ")
        .append(config.concurrency())
        .append(" messages per task at a time, counts seen ")
        .append(config.observationLagSeconds())
        .append(" s late, CloudWatch datapoints ")
        .append(config.metricDelaySeconds())
        .append(" s after their minute, ")
        .append(config.alignedAlarmPeriods() ? "aligned" : "sliding")
        .append(" 5-minute alarm periods, launch ")
        .append(config.launchMinSeconds())
        .append("-")
        .append(config.launchMaxSeconds())
        .append(" s, seed ")
        .append(config.seed())
        .append("):\n\n");
    settings.forEach(s -> md.append("- ").append(s).append('\n'));
    return md.toString();
  }

  /**
   * The minutes behind a summary row, so a p99 or a task-minute figure can be traced to the minutes
   * that made it: one row per policy and minute, with the messages that arrived in that minute and
   * the visible messages and running tasks at its end (the chart's points). Policies that model no
   * fleet (the lower bound) have no rows.
   */
  static List<String> timeline(List<Results.PolicyResult> results, int[] arrivalsPerMinute) {
    List<String> lines = new ArrayList<>();
    lines.add("minute,policy,arrivals,visible,running");
    for (Results.PolicyResult r : results) {
      for (int minute = 0; minute < r.backlogPerMinute().length; minute++) {
        int arrivals = minute < arrivalsPerMinute.length ? arrivalsPerMinute[minute] : 0;
        lines.add(
            minute
                + ","
                + r.policy()
                + ","
                + arrivals
                + ","
                + r.backlogPerMinute()[minute]
                + ","
                + r.runningPerMinute()[minute]);
      }
    }
    return lines;
  }

  /** Backlog over time (top) and running tasks over time (bottom), one line per policy. */
  static void chart(Path file, String title, List<Results.PolicyResult> results)
      throws IOException {
    XYChart backlog = base(title + ": visible messages", "messages");
    XYChart tasks = base("running tasks", "tasks");
    for (Results.PolicyResult r : results) {
      if (r.backlogPerMinute().length == 0) {
        continue;
      }
      double[] minutes = new double[r.backlogPerMinute().length];
      double[] b = new double[minutes.length];
      double[] t = new double[minutes.length];
      for (int i = 0; i < minutes.length; i++) {
        minutes[i] = i + 1;
        b[i] = r.backlogPerMinute()[i];
        t[i] = r.runningPerMinute()[i];
      }
      backlog.addSeries(r.policy(), minutes, b).setMarker(SeriesMarkers.NONE);
      tasks.addSeries(r.policy(), minutes, t).setMarker(SeriesMarkers.NONE);
    }
    BufferedImage top = BitmapEncoder.getBufferedImage(backlog);
    BufferedImage bottom = BitmapEncoder.getBufferedImage(tasks);
    BufferedImage both =
        new BufferedImage(
            top.getWidth(), top.getHeight() + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, both.getWidth(), both.getHeight());
    g.drawImage(top, 0, 0, null);
    g.drawImage(bottom, 0, top.getHeight(), null);
    g.dispose();
    ImageIO.write(both, "png", file.toFile());
  }

  /**
   * Task-minutes (x) against p99 age (y), one line per system through its targets, a single point
   * for the step policies and the lower bound (at the SLO it bounds): lower and to the left is
   * better, and a curve below another is ahead of it.
   */
  static void frontierChart(Path file, String title, List<Frontier.Point> points, double slo)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(720)
            .title(title)
            .xAxisTitle("task-minutes")
            .yAxisTitle("p99 message age, s")
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    // Labels between the decades: most curves live within one.
    chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
    chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
    for (var system : Frontier.SYSTEMS.entrySet()) {
      List<Frontier.Point> series =
          points.stream()
              .filter(p -> p.policy().equals(system.getKey()))
              .sorted((a, b) -> Double.compare(a.taskMinutes(), b.taskMinutes()))
              .toList();
      if (series.isEmpty()) {
        continue;
      }
      // Logarithmic axes: an age of 0 is drawn at a tenth of a second.
      double[] x = series.stream().mapToDouble(p -> Math.max(0.1, p.taskMinutes())).toArray();
      double[] y = series.stream().mapToDouble(p -> Math.max(0.1, p.p99AgeSeconds())).toArray();
      String name =
          system.getKey().equals("lower-bound")
              ? "lower bound (p99 " + (int) slo + " s)"
              : system.getValue();
      XYSeries s = chart.addSeries(name, x, y);
      s.setXYSeriesRenderStyle(
          series.size() > 1
              ? XYSeries.XYSeriesRenderStyle.Line
              : XYSeries.XYSeriesRenderStyle.Scatter);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart base(String title, String yAxis) {
    XYChart chart =
        new XYChartBuilder()
            .width(1200)
            .height(420)
            .title(title)
            .xAxisTitle("minute")
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    return chart;
  }
}
