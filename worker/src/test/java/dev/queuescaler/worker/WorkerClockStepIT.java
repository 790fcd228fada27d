package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker against ElasticMQ while the machine's clock steps under it (time sync correcting a
 * drifted clock, a VM resumed): SQS keeps a message invisible for the time that passes, not for
 * what the clock says, so a step must neither give up a message the worker still holds nor stop its
 * heartbeats until the clock catches up. Either lets SQS deliver the message again while its work
 * runs here, and the work runs twice.
 */
class WorkerClockStepIT {

  /** The system's clock, stepped by the test. */
  private static final class SteppedClock implements InstantSource {
    private final AtomicReference<Duration> step = new AtomicReference<>(Duration.ZERO);

    void step(Duration by) {
      step.updateAndGet(total -> total.plus(by));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(step.get());
    }
  }

  private static LocalQueue queue;
  private static XRayDaemonListener xray;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private final SteppedClock clock = new SteppedClock();
  private Worker worker;

  @BeforeAll
  static void start() {
    queue = new LocalQueue();
    xray = new XRayDaemonListener();
  }

  @AfterAll
  static void stop() {
    xray.close();
    queue.close();
  }

  @AfterEach
  void stopWorker() {
    if (worker != null) {
      worker.stop();
    }
  }

  /**
   * Runs one 8 s message on a 6 s visibility timeout, the clock stepped by {@code step} 1 s in;
   * returns how often its work had started when it was first processed, and, when once, sees it
   * deleted.
   */
  private int startsOfOneMessageWithTheClockStepped(String name, Duration step) throws Exception {
    String[] urls = queue.createWithDlq(name, 6, 5);
    AtomicInteger starts = new AtomicInteger();
    MessageHandler counting =
        message -> {
          starts.incrementAndGet();
          new SimulatedWork().handle(message);
        };
    // Two loops: a message SQS delivers again would be received by the other while the first runs.
    worker =
        LocalQueue.startWorker(
            queue.sqs,
            urls[0],
            counting,
            Map.of("WORKER_CONCURRENCY", "2", "WORKER_MAX_PROCESSING_SECONDS", "600"),
            new SimpleMeterRegistry(),
            xray.address(),
            logs,
            clock);
    queue.send(urls[0], work(8_000, false));
    eventually(() -> starts.get() == 1, Duration.ofSeconds(5));
    Thread.sleep(1_000);

    clock.step(step);

    eventually(() -> worker.processed() >= 1, Duration.ofSeconds(20));
    int startsByThen = starts.get();
    if (startsByThen == 1) {
      eventually(
          () -> queue.inFlight(urls[0]) + queue.visible(urls[0]) == 0, Duration.ofSeconds(5));
    }
    return startsByThen;
  }

  private String logs() {
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aClockSteppedAnHourForwardMidWorkNeitherGivesUpNorGivesBackTheMessage() throws Exception {
    int starts = startsOfOneMessageWithTheClockStepped("clock-forward", Duration.ofHours(1));

    assertThat(starts).as("its work started once").isEqualTo(1);
    assertThat(logs()).doesNotContain("heartbeat-expired").doesNotContain("processing-timed-out");
  }

  @Test
  void aClockSteppedAMinuteBackMidWorkKeepsTheHeartbeatsGoing() throws Exception {
    int starts = startsOfOneMessageWithTheClockStepped("clock-back", Duration.ofMinutes(-1));

    assertThat(starts).as("its work started once").isEqualTo(1);
    assertThat(logs()).doesNotContain("heartbeat-expired");
  }

  @Test
  void everythingItTimesIsReadFromTheClockItIsGivenNeverFromTheJvmsOwn() throws Exception {
    // Before the start: the worker's clock is an hour behind Instant.now() from its first
    // reading, so a time read anywhere from the JVM's own clock and compared with one of the
    // worker's is an hour off: a beat gives the message up or never extends it, the bound gives it
    // back at once.
    clock.step(Duration.ofHours(-1));

    int starts = startsOfOneMessageWithTheClockStepped("clock-behind", Duration.ZERO);

    assertThat(starts).as("its work started once").isEqualTo(1);
    assertThat(logs()).doesNotContain("heartbeat-expired").doesNotContain("processing-timed-out");
  }
}
