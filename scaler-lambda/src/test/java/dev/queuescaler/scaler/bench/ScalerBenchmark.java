package dev.queuescaler.scaler.bench;

import dev.queuescaler.scaler.cycle.CycleReport;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import dev.queuescaler.testsupport.OtlpReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scaler's benchmark: cold cycle in a fresh JVM (the shaded jar as a process), warm cycle per
 * target, a cycle over 100 targets, jar size. Against local servers, so the numbers are the
 * scaler's own cost, without the network to AWS. Run by {@code scaler-lambda/bench/run}.
 */
public final class ScalerBenchmark {

  private static final int COLD_RUNS = 5;
  private static final int WARM_RUNS = 30;
  private static final int HUNDRED_RUNS = 10;

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "scaler-lambda/target/scaler-lambda.jar");
    Path out = Path.of(args.length > 1 ? args[1] : "scaler-lambda/target/bench/results.md");
    List<String> rows = new ArrayList<>();
    try (LocalAws aws = LocalAws.withFakes(10)) {
      String queueUrl = aws.createQueue("bench");
      aws.send(queueUrl, 250);
      aws.service("bench-svc", 0);
      aws.putTarget("/bench-one", "one", queueUrl, "bench-svc", Map.of());
      for (int i = 0; i < 100; i++) {
        aws.service("svc-" + i, 0);
        aws.putTarget("/bench-hundred", "t" + i, queueUrl, "svc-" + i, Map.of());
      }

      List<Double> jvmOnly = new ArrayList<>();
      List<Double> cold = new ArrayList<>();
      List<Double> coldC1 = new ArrayList<>();
      List<Double> coldOtel = new ArrayList<>();
      List<Double> coldOff = new ArrayList<>();
      List<String> c1 = List.of("-XX:TieredStopAtLevel=1");
      try (OtlpReceiver otlp = new OtlpReceiver()) {
        Map<String, String> otel =
            Map.of("TRACING", "otel", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
        // Interleaved, so that the machine's other load falls on every variant alike.
        for (int i = 0; i < COLD_RUNS; i++) {
          jvmOnly.add(time(aws, jar, "/bench-one", List.of(), Map.of(), "--help"));
          cold.add(time(aws, jar, "/bench-one", List.of(), Map.of(), "once", "--dry-run"));
          coldC1.add(
              time(aws, jar, "/bench-one", c1, Map.of("TRACING", "xray"), "once", "--dry-run"));
          coldOtel.add(time(aws, jar, "/bench-one", c1, otel, "once", "--dry-run"));
          coldOff.add(
              time(aws, jar, "/bench-one", c1, Map.of("TRACING", "off"), "once", "--dry-run"));
        }
        if (otlp.spans().stream().noneMatch(s -> s.name().equals("decide"))) {
          throw new IllegalStateException("the OpenTelemetry runs exported no decide span");
        }
      }
      rows.add(row("JVM start + CLI parse, no cycle (`--help`)", jvmOnly, "ms"));
      rows.add(row("cold cycle: fresh JVM, build clients, 1 target (`once`)", cold, "ms"));
      rows.add(
          row(
              "cold cycle with `-XX:TieredStopAtLevel=1` (C1 only, as the Lambda), X-Ray SDK",
              coldC1,
              "ms"));
      rows.add(
          row(
              "the same, `TRACING=otel` (OpenTelemetry SDK, OTLP/HTTP to a local receiver)",
              coldOtel,
              "ms"));
      rows.add(row("the same, `TRACING=off`", coldOff, "ms"));

      try (ScalerHarness one = new ScalerHarness(aws, "/bench-one");
          ScalerHarness hundred = new ScalerHarness(aws, "/bench-hundred")) {
        long firstStart = System.nanoTime();
        one.runOnce();
        double first = (System.nanoTime() - firstStart) / 1e6;
        rows.add(
            row(
                "first cycle in a JVM whose clients are built (class loading)",
                List.of(first),
                "ms"));
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < WARM_RUNS; i++) {
          one.clock.advance(java.time.Duration.ofSeconds(60));
          long start = System.nanoTime();
          CycleReport report = one.runOnce();
          warm.add((System.nanoTime() - start) / 1e6);
          check(report);
        }
        rows.add(row("warm cycle, 1 target (6 AWS calls)", warm, "ms"));
        List<Double> many = new ArrayList<>();
        for (int i = 0; i < HUNDRED_RUNS; i++) {
          hundred.clock.advance(java.time.Duration.ofSeconds(60));
          long start = System.nanoTime();
          CycleReport report = hundred.runOnce();
          many.add((System.nanoTime() - start) / 1e6);
          check(report);
          if (report.outcomes().size() != 100) {
            throw new IllegalStateException(
                "expected 100 targets, ran " + report.outcomes().size());
          }
        }
        rows.add(row("warm cycle, 100 targets (8 at a time)", many, "ms"));
      }
    }
    rows.add(
        "| shaded jar `scaler-lambda.jar` | "
            + String.format(Locale.ROOT, "%.1f MB", Files.size(jar) / 1e6)
            + " | | |");

    StringBuilder table = new StringBuilder();
    table.append("| measurement | median | min | max |\n|---|---|---|---|\n");
    rows.forEach(r -> table.append(r).append('\n'));
    table.append(
        "\nMachine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version")
            + "; "
            + COLD_RUNS
            + " cold runs, "
            + WARM_RUNS
            + " warm 1-target runs, "
            + HUNDRED_RUNS
            + " 100-target runs.\n");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.print(table);
  }

  private static void check(CycleReport report) {
    if (report.failed()) {
      throw new IllegalStateException("benchmark cycle failed: " + report.failures());
    }
  }

  private static double time(
      LocalAws aws,
      Path jar,
      String prefix,
      List<String> jvmOptions,
      Map<String, String> env,
      String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(aws.sdkEnvironment());
    builder.environment().put("SCALER_STATE_TABLE", LocalAws.TABLE);
    builder.environment().put("SCALER_PARAMETER_PATH", prefix);
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("`" + String.join(" ", command) + "` failed");
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static String row(String name, List<Double> millis, String unit) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    double median = sorted.get(sorted.size() / 2);
    return String.format(
        Locale.ROOT,
        "| %s | %.0f %s | %.0f %s | %.0f %s |",
        name,
        median,
        unit,
        sorted.get(0),
        unit,
        sorted.get(sorted.size() - 1),
        unit);
  }
}
