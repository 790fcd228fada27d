package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Decision lines leave as each target finishes, not when its round does: a Lambda killed while one
 * target is stuck in a call has still written every other target's line.
 */
class DecisionLinesTest {

  @Test
  void aTargetsLineIsWrittenWhileAnotherTargetOfItsRoundIsStillRunning() throws Exception {
    CountDownLatch fastLine = new CountDownLatch(1);
    CountDownLatch slowGoesOn = new CountDownLatch(1);
    QueueProbe queues =
        url -> {
          if (url.endsWith("/slow")) {
            try {
              slowGoesOn.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new QueueSnapshot(0, 0, 0);
        };
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef service) {
            return new ServiceSnapshot(1, 1, 0);
          }

          @Override
          public void setDesiredCount(ServiceRef service, int count) {}
        };
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "fast");
    // fast holds (a target that acts writes its line after its action, once its round decided).
    keys.put("fast/min-tasks", "1");
    FixedParameters.putTarget(keys, "slow");
    DecisionSink sink =
        outcome -> {
          if (outcome.decision().target().equals("fast")) {
            fastLine.countDown();
          }
        };

    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                queues,
                services,
                new InMemoryDecisionStore(),
                decision -> {},
                sink,
                OperatorLog.NONE,
                Tracing.NONE,
                Clock.systemUTC()),
            2)) {
      CompletableFuture<CycleReport> run =
          CompletableFuture.supplyAsync(() -> cycle.run(CycleRequest.ALL_TARGETS));
      try {
        assertThat(fastLine.await(5, TimeUnit.SECONDS))
            .as("fast's line is out while slow is still reading its queue")
            .isTrue();
      } finally {
        slowGoesOn.countDown();
      }
      assertThat(run.get(10, TimeUnit.SECONDS).outcomes()).hasSize(2);
    }
  }
}
