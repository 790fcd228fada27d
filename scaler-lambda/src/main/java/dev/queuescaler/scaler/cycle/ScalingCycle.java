package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.Configuration;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.SkippedTarget;
import dev.queuescaler.scaler.config.TargetConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scaling cycle for every target: load the parameters, then run each target's cycle on a
 * bounded pool, independently, so that one broken target never stops the others.
 *
 * <p>Built once per container (it owns its thread pool); {@link #run} is called per invocation.
 */
public final class ScalingCycle implements AutoCloseable {

  /** The ports and settings a cycle runs on. */
  public record Ports(
      ParameterSource parameters,
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      DecisionEvents events,
      DecisionSink sink,
      OperatorLog log,
      Tracing tracing,
      Clock clock) {

    public Ports {
      Objects.requireNonNull(parameters, "parameters");
      Objects.requireNonNull(queues, "queues");
      Objects.requireNonNull(services, "services");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(sink, "sink");
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(tracing, "tracing");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /** Targets processed at once; API calls per target are sequential. */
  public static final int DEFAULT_PARALLELISM = 8;

  private final Ports ports;
  private final TargetCycle targetCycle;
  private final ExecutorService pool;

  public ScalingCycle(Ports ports, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
    }
    this.ports = ports;
    this.targetCycle =
        new TargetCycle(ports.queues(), ports.services(), ports.store(), ports.events());
    this.pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
  }

  public CycleReport run(CycleRequest request) {
    return ports.tracing().cycle(() -> runAll(request));
  }

  private CycleReport runAll(CycleRequest request) {
    Instant now = ports.clock().instant();
    Configuration configuration;
    try {
      configuration = load(request);
    } catch (CannotLoad e) {
      ports.log().error(e.getMessage());
      return new CycleReport(List.of(), List.of(e.getMessage()));
    }
    configuration.warnings().forEach(ports.log()::warn);

    List<String> failures = new ArrayList<>();
    for (SkippedTarget skipped : configuration.skipped()) {
      String failure = skipped.name() + ": skipped: " + String.join("; ", skipped.problems());
      ports.log().error(failure);
      failures.add(failure);
    }
    if (configuration.targets().isEmpty() && configuration.skipped().isEmpty()) {
      ports.log().warn("no targets under " + ports.parameters().describe());
    }

    List<Future<TargetOutcome>> running = new ArrayList<>();
    for (TargetConfig target : configuration.targets()) {
      TargetConfig effective = request.forceDryRun() ? target.asDryRun() : target;
      running.add(
          pool.submit(
              ports
                  .tracing()
                  .carryOver(() -> ports.tracing().decide(() -> targetCycle.run(effective, now)))));
    }
    List<TargetOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < running.size(); i++) {
      String name = configuration.targets().get(i).name().value();
      try {
        TargetOutcome outcome = running.get(i).get();
        outcomes.add(outcome);
        ports.sink().accept(outcome);
        if (!outcome.completed()) {
          failures.add(
              name
                  + ": "
                  + outcome.decision().reason()
                  + " "
                  + String.join("; ", outcome.decision().errors()));
        }
      } catch (ExecutionException e) {
        String failure = name + ": unexpected error: " + e.getCause();
        ports.log().error(failure);
        failures.add(failure);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add(name + ": interrupted");
      }
    }
    return new CycleReport(outcomes, failures);
  }

  private Configuration load(CycleRequest request) throws CannotLoad {
    Map<String, String> raw;
    try {
      raw = ports.parameters().readAll();
    } catch (RuntimeException e) {
      throw new CannotLoad(
          "cannot read parameters under "
              + ports.parameters().describe()
              + ": "
              + TargetCycle.describe(e));
    }
    Configuration all = ConfigurationParser.parse(raw);
    if (request.onlyTarget().isEmpty()) {
      return all;
    }
    return all.only(request.onlyTarget().get())
        .orElseThrow(
            () ->
                new CannotLoad(
                    "target "
                        + request.onlyTarget().get()
                        + " not found under "
                        + ports.parameters().describe()));
  }

  /** The cycle cannot even start: no parameters, or the requested target does not exist. */
  private static final class CannotLoad extends Exception {
    private static final long serialVersionUID = 1L;

    CannotLoad(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "scaler-target-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
