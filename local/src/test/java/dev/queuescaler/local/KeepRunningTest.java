package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.report.JsonOperatorLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeepRunningTest {

  @Test
  void aFailingRunIsLoggedAndTheScheduleGoesOn() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonOperatorLog log =
        new JsonOperatorLog(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());
    AtomicInteger runs = new AtomicInteger();
    Runnable failsFirst =
        () -> {
          if (runs.incrementAndGet() == 1) {
            throw new IllegalStateException("queue gone");
          }
        };
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.scheduleAtFixedRate(
          KeepRunning.logging("scaling cycle", failsFirst, log), 0, 10, TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runs.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      timer.shutdownNow();
    }

    // A bare scheduleAtFixedRate would have stopped after the first, failing run.
    assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("scaling cycle failed, the run goes on")
        .contains("queue gone")
        .contains("\"level\":\"ERROR\"");
  }
}
