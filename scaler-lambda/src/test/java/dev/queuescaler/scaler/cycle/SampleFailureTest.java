package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failed sample of an active target (sampled every 15 s): a cause that passes by itself is tried
 * again at the next offset, one that lasts waits for the next invocation; either way the target's
 * failure is reported once per invocation, and every failed sample writes its line.
 */
class SampleFailureTest {

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final List<Long> queueReads = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> serviceReads = Collections.synchronizedList(new ArrayList<>());
  private final List<TargetOutcome> lines = Collections.synchronizedList(new ArrayList<>());

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  @Test
  void aThrottlingThatLastsTheMinuteIsOneFailureWithALinePerSample() {
    CycleReport report =
        runMinute(
            queueFailing(
                new CallFailure(
                    "GetQueueAttributes on orders-queue failed: RequestThrottled: Rate exceeded",
                    FailureKind.PASSING)),
            serviceAt(1));

    assertThat(queueReads).as("read again at every offset").containsExactly(0L, 15L, 30L, 45L);
    assertThat(lines)
        .as("every failed sample has its line")
        .hasSize(4)
        .allMatch(line -> !line.completed())
        .allMatch(line -> line.decision().reason() == Reason.QUEUE_UNREADABLE);
    assertThat(report.outcomes()).hasSize(4);
    assertThat(report.failures())
        .as("one fault, one failure")
        .singleElement()
        .asString()
        .startsWith("orders: QUEUE_UNREADABLE")
        .contains("Rate exceeded")
        .contains("4 of its 4 samples failed");
  }

  @Test
  void aServiceUnavailableAnswerIsTriedAgainAtTheNextOffset() {
    CycleReport report =
        runMinute(
            queue -> {
              queueReads.add(secondsIn());
              return new QueueSnapshot(100, 0, 0);
            },
            ref -> {
              serviceReads.add(secondsIn());
              if (secondsIn() < 15) {
                throw new CallFailure(
                    "DescribeServices on workers/orders-svc failed: ServiceUnavailableException:"
                        + " Service Unavailable (HTTP 503)",
                    FailureKind.PASSING);
              }
              return new ServiceSnapshot(1, 1, 0);
            });

    assertThat(serviceReads).as("read at 0 s and again at 15 s").contains(0L, 15L);
    assertThat(report.failures()).singleElement().asString().contains("SERVICE_UNREADABLE");
  }

  @Test
  void aQueueReadThatCannotSucceedThisMinuteIsNotTriedAgain() {
    CycleReport report =
        runMinute(
            queueFailing(
                new CallFailure(
                    "GetQueueAttributes on orders-queue failed: QueueDoesNotExist: The specified"
                        + " queue does not exist",
                    FailureKind.LASTING)),
            serviceAt(1));

    assertThat(queueReads).as("read once, at 0 s").containsExactly(0L);
    assertThat(lines).singleElement().matches(line -> !line.completed());
    assertThat(report.failures()).singleElement().asString().contains("QUEUE_UNREADABLE");
  }

  @Test
  void aFailureThatDoesNotSayWhetherItLastsIsTriedAgain() {
    CycleReport report =
        runMinute(queueFailing(new IllegalStateException("the queue client broke")), serviceAt(1));

    assertThat(queueReads).as("read again at every offset").containsExactly(0L, 15L, 30L, 45L);
    assertThat(report.failures()).singleElement().asString().contains("4 of its 4 samples failed");
  }

  @Test
  void aServiceThatDoesNotExistIsNotReadAgainThisMinute() {
    CycleReport report =
        runMinute(
            queue -> {
              queueReads.add(secondsIn());
              return new QueueSnapshot(100, 0, 0);
            },
            ref -> {
              serviceReads.add(secondsIn());
              throw new CallFailure(
                  "DescribeServices on workers/orders-svc: service MISSING", FailureKind.LASTING);
            });

    assertThat(queueReads).containsExactly(0L);
    assertThat(report.failures()).singleElement().asString().contains("SERVICE_UNREADABLE");
  }

  private QueueProbe queueFailing(RuntimeException failure) {
    return queue -> {
      queueReads.add(secondsIn());
      throw failure;
    };
  }

  private interface Describe {
    ServiceSnapshot describe(ServiceRef ref);
  }

  private Describe serviceAt(int desired) {
    return ref -> {
      serviceReads.add(secondsIn());
      return new ServiceSnapshot(desired, desired, 0);
    };
  }

  private CycleReport runMinute(QueueProbe queues, Describe describe) {
    Map<String, String> keys = FixedParameters.backlogPerTask("orders", 10, 15);
    ServiceScaler services =
        new ServiceScaler() {
          @Override
          public ServiceSnapshot describe(ServiceRef ref) {
            return describe.describe(ref);
          }

          @Override
          public void setDesiredCount(ServiceRef ref, int count) {}
        };
    try (ScalingCycle cycle =
        new ScalingCycle(
            VirtualTimePorts.of(
                FixedParameters.of(keys),
                queues,
                services,
                new InMemoryDecisionStore(),
                lines::add,
                clock),
            2,
            AwsClients.WORST_CALL)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }
  }
}
