package dev.queuescaler.local;

import dev.queuescaler.generator.GenerateRequest;
import dev.queuescaler.generator.Generator;
import dev.queuescaler.scaler.aws.SqsQueueProbe;
import dev.queuescaler.scaler.cli.OneLineUsageErrors;
import dev.queuescaler.scaler.cli.ProjectVersion;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.DecisionEvents;
import dev.queuescaler.scaler.cycle.InMemoryDecisionStore;
import dev.queuescaler.scaler.cycle.OperatorLog;
import dev.queuescaler.scaler.cycle.ScalingCycle;
import dev.queuescaler.scaler.report.JsonOperatorLog;
import dev.queuescaler.scaler.tracing.ChosenTracer;
import dev.queuescaler.scaler.tracing.TraceRoot;
import dev.queuescaler.scaler.tracing.XRayTracing;
import dev.queuescaler.simulator.OutputDirectory;
import dev.queuescaler.telemetry.OtelPipeline;
import dev.queuescaler.telemetry.OtelSettings;
import dev.queuescaler.telemetry.TracingChoice;
import dev.queuescaler.testsupport.DeadLetteredQueue;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.OtlpReceiver;
import dev.queuescaler.testsupport.XRayDaemonListener;
import dev.queuescaler.worker.JsonLog;
import dev.queuescaler.worker.SimulatedWork;
import dev.queuescaler.worker.WorkerTracing;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code java -jar local/target/local.jar [--duration 10m] [--tick 60s] [--profile
 * mixed|burst|sine|trace:FILE] [--out DIR] [--tracing xray|otel|off]}: the whole system on this
 * machine until the duration ends or Ctrl-C, then {@code DIR/timeline.csv}, {@code
 * DIR/summary.json} and {@code DIR/chart.png}. The scaler, the generator and the workers trace with
 * the chosen tracer to a local X-Ray daemon listener or OTLP receiver, and each decision's trace is
 * printed.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = "Runs queue, generator, workers and the scaler cycle on this machine.")
public final class LocalRun implements java.util.concurrent.Callable<Integer> {

  /** How long a run may be: a second of traffic to a week-long soak. */
  static final DurationRange RUN = new DurationRange(Duration.ofSeconds(1), Duration.ofDays(7));

  /** The scaler's period: down to 100 ms to watch it fast, up to an hour. */
  static final DurationRange TICK = new DurationRange(Duration.ofMillis(100), Duration.ofHours(1));

  /**
   * A local task's start: never 0, since a failed launch is retried after it, and at most ten
   * minutes (a Fargate launch takes about a minute).
   */
  static final DurationRange LAUNCH =
      new DurationRange(Duration.ofMillis(100), Duration.ofMinutes(10));

  @Option(
      names = "--duration",
      defaultValue = "10m",
      description = "How long (1s to 7d, e.g. 90s, 10m, 1h)")
  String duration;

  @Option(
      names = "--tick",
      defaultValue = "60s",
      description = "Scaler cycle period, 100ms to 1h; the Lambda's is 60s")
  String tick;

  @Option(
      names = "--profile",
      defaultValue = "mixed",
      description = "mixed, burst, sine or trace:FILE")
  String profile;

  @Option(names = "--out", defaultValue = "local-run", description = "Where the results go")
  Path out;

  @Option(
      names = "--launch-delay",
      defaultValue = "20s",
      description = "A local task's start time, 100ms to 10m")
  String launchDelay;

  @Option(
      names = "--work-millis",
      defaultValue = "500",
      description = "Work per message in milliseconds, 0 to 43200000 (12 h)")
  int workMillis;

  @Option(
      names = "--config",
      defaultValue = "local/scaler.properties",
      description = "Tunables with the SSM key names, re-read every tick; must exist")
  Path config;

  @Option(
      names = "--tracing",
      defaultValue = "xray",
      description =
          "xray: the X-Ray SDK to a local daemon listener; otel: OpenTelemetry to a local OTLP"
              + " receiver; off")
  String tracing;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream console;
  private volatile CountDownLatch stop = new CountDownLatch(1);

  public LocalRun() {
    this(System.out);
  }

  LocalRun(PrintStream console) {
    this.console = console;
  }

  public static void main(String[] args) {
    // Ctrl-C must not stop the queue server before the workers have given their messages back:
    // the run's own hook drains everything, then writes the summary.
    System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    System.exit(commandLine(new LocalRun()).execute(args));
  }

  /** The command line as {@code main} runs it: every usage error in one line, exit 2. */
  static CommandLine commandLine(LocalRun run) {
    return OneLineUsageErrors.install(new CommandLine(run));
  }

  /** What a run writes into --out. */
  static final List<String> OUTPUT_FILES =
      List.of("workers.log", "summary.json", "timeline.csv", "chart.png");

  @Override
  public Integer call() throws Exception {
    Duration length;
    Duration period;
    Duration launch;
    LoadShape shape;
    try {
      TracingChoice.parse(tracing, "--tracing");
      length = RUN.parse(duration, "--duration");
      period = TICK.parse(tick, "--tick");
      launch = LAUNCH.parse(launchDelay, "--launch-delay");
      if (workMillis < 0 || workMillis > GenerateRequest.MAX_WORK_MILLIS) {
        throw new IllegalArgumentException(
            "--work-millis must be from 0 to "
                + GenerateRequest.MAX_WORK_MILLIS
                + " (12 h) but was "
                + workMillis);
      }
      PropertiesParameterSource.check(config, "--config");
      shape = LoadShape.parse(profile, (int) length.toSeconds());
      // Last, since it makes the directory: nothing is made for a run that is rejected.
      OutputDirectory.prepare(out, "--out", OUTPUT_FILES);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("local: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    run(length, period, launch, shape);
    return 0;
  }

  RunSummary run(Duration length, Duration period, Duration launch, LoadShape shape)
      throws Exception {
    Files.createDirectories(out);
    Clock clock = Clock.systemUTC();
    PrintStream quiet =
        new PrintStream(
            Files.newOutputStream(out.resolve("workers.log")), true, StandardCharsets.UTF_8);
    TracingChoice choice = TracingChoice.parse(tracing, "--tracing");
    try (ElasticMq queueServer = new ElasticMq();
        XRayDaemonListener xray = new XRayDaemonListener();
        OtlpReceiver otlp = new OtlpReceiver();
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(queueServer.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
      String[] queues = createQueues(sqs);
      xray.onDocument(
          document -> {
            if (document.path("name").asText().equals(XRayTracing.CLI_SEGMENT)) {
              document
                  .path("subsegments")
                  .forEach(
                      sub ->
                          console.printf(
                              "          x-ray %s decide target=%s action=%s reason=%s%n",
                              document.path("trace_id").asText(),
                              sub.at("/annotations/target").asText(),
                              sub.at("/annotations/action").asText(),
                              sub.at("/annotations/reason").asText()));
            }
          });
      // Traces begun by the generator, and the worker spans that continued one of them.
      Set<String> generatorTraces = ConcurrentHashMap.newKeySet();
      Set<String> linkedMessages = ConcurrentHashMap.newKeySet();
      otlp.onSpan(
          span -> {
            if (span.name().equals("decide") && span.attribute("target").isPresent()) {
              console.printf(
                  "          otel  %s decide target=%s action=%s reason=%s%n",
                  span.xrayTraceId(),
                  span.attribute("target").orElse(""),
                  span.attribute("action").orElse(""),
                  span.attribute("reason").orElse(""));
            } else if (span.name().equals("queue-generator")) {
              generatorTraces.add(span.traceId());
            } else if (span.name().equals(WorkerTracing.SEGMENT)
                && span.parentSpanId().isPresent()) {
              linkedMessages.add(span.traceId() + "/" + span.attribute("messageId").orElse(""));
            }
          });
      Map<String, String> tracingEnv =
          Map.of(
              TracingChoice.VARIABLE,
              choice.value(),
              "AWS_XRAY_DAEMON_ADDRESS",
              xray.address(),
              "OTEL_EXPORTER_OTLP_ENDPOINT",
              otlp.endpoint());
      AgeRecordingHandler ages = new AgeRecordingHandler(new SimulatedWork(), clock);
      Timeline timeline = new Timeline(console);
      AtomicLong sent = new AtomicLong();
      console.printf(
          "local run: queue %s, tick %s, launch delay %s, profile %s, tunables %s%n",
          queues[0], period, launch, profile, config);
      try (WorkerTracing workerTracing = workerTracing(choice, tracingEnv);
          ChosenTracer scalerTracer =
              ChosenTracer.create(
                  choice,
                  TraceRoot.OWN_TRACE,
                  xray.address(),
                  choice == TracingChoice.OTEL
                      ? Optional.of(OtelSettings.fromEnvironment(tracingEnv, "queue-scaler"))
                      : Optional.empty());
          LocalFleet fleet =
              new LocalFleet(
                  sqs, queues[0], launch, ages, workerTracing, new JsonLog(quiet), clock);
          Generator generator = Generator.create(sqs, tracingEnv, clock);
          ScalingCycle cycle =
              new ScalingCycle(
                  new ScalingCycle.Ports(
                      new PropertiesParameterSource(config, queues[0]),
                      new SqsQueueProbe(sqs),
                      fleet,
                      new InMemoryDecisionStore(),
                      DecisionEvents.NONE,
                      timeline,
                      new JsonOperatorLog(console, clock),
                      scalerTracer.tracing(),
                      clock),
                  1)) {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        CountDownLatch done = stop;
        long seconds = length.toSeconds();
        AtomicLong second = new AtomicLong();
        OperatorLog runLog = new JsonOperatorLog(console, clock);
        every(
            timers,
            Duration.ofSeconds(1),
            "generate",
            () -> {
              long now = second.getAndIncrement();
              if (now >= seconds) {
                done.countDown();
                return;
              }
              int count = shape.messagesAt((int) now);
              if (count > 0) {
                sent.addAndGet(
                    generator
                        .generateTraced(
                            new GenerateRequest(
                                queues[0],
                                count,
                                Optional.empty(),
                                256,
                                workMillis,
                                0,
                                Optional.of(now)))
                        .sent());
              }
            },
            runLog);
        every(
            timers,
            period,
            "scaling cycle",
            () -> cycle.run(CycleRequest.ALL_TARGETS.within(period)),
            runLog);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
            new Thread(
                () -> {
                  done.countDown();
                  try {
                    // Keep the JVM alive until the workers have stopped and the summary is written.
                    finished.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        done.await();
        timers.shutdown();
        timers.awaitTermination(30, TimeUnit.SECONDS);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the JVM is already going down; finish the summary anyway.
        }
        double taskMinutes = fleet.taskMinutes();
        fleet.close();
        long processed = fleet.processed();
        if (choice == TracingChoice.OTEL) {
          // The stopped workers' last spans and the generator's batch, then the count of messages
          // traced end to end: a send of the last seconds, still in the generator's batch, would
          // otherwise count its processed messages as untraced.
          workerTracing.close();
          scalerTracer.close();
          if (!generator.flushTraces()) {
            console.println(
                "traces: the generator's last spans did not leave in time: the count below may be"
                    + " low");
          }
          long linked =
              linkedMessages.stream()
                  .filter(m -> generatorTraces.contains(m.substring(0, m.indexOf('/'))))
                  .count();
          console.printf(
              "traces: %d spans at the OTLP receiver; %d messages traced from the generator's"
                  + " send to a worker's receive%n",
              otlp.spans().size(), linked);
        }
        RunSummary summary =
            new RunSummary(
                sent.get(),
                processed,
                count(sqs, queues[1], QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                timeline.maxBacklog(),
                ages.quantile(0.5),
                ages.quantile(0.99),
                Math.round(taskMinutes * 100) / 100.0,
                timeline.scalingActions());
        try {
          Files.writeString(out.resolve("summary.json"), summary.prettyJson());
          timeline.write(out);
          console.println(summary.line(out));
        } finally {
          finished.countDown();
        }
        return summary;
      }
    } finally {
      quiet.close();
    }
  }

  /**
   * Every periodic step of the run goes through here: a step that throws is logged and runs again
   * on schedule ({@link KeepRunning}), never cancelled silently.
   */
  private static void every(
      ScheduledExecutorService timers,
      Duration period,
      String what,
      Runnable step,
      OperatorLog log) {
    timers.scheduleAtFixedRate(
        KeepRunning.logging(what, step, log), 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static WorkerTracing workerTracing(TracingChoice choice, Map<String, String> env) {
    return switch (choice) {
      case XRAY -> WorkerTracing.xray(env.get("AWS_XRAY_DAEMON_ADDRESS"));
      // Every message traced (the deployed worker samples those without a producer trace).
      case OTEL ->
          WorkerTracing.openTelemetry(
              OtelPipeline.exportingTo(
                  OtelSettings.fromEnvironment(env, WorkerTracing.SEGMENT), "local-worker"));
      case OFF -> WorkerTracing.NONE;
    };
  }

  /** Ends the run early, as Ctrl-C does. */
  void requestStop() {
    stop.countDown();
  }

  private static String[] createQueues(SqsClient sqs) {
    DeadLetteredQueue queue = DeadLetteredQueue.create(sqs, "local-work", 30, 5);
    return new String[] {queue.queueUrl(), queue.deadLetterQueueUrl()};
  }

  private static long count(SqsClient sqs, String queueUrl, QueueAttributeName attribute) {
    return Long.parseLong(
        sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(attribute))
            .attributes()
            .get(attribute));
  }
}
