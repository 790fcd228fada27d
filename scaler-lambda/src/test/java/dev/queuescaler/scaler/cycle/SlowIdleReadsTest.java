package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.queuescaler.scaler.aws.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Idle queues read while SQS answers each GetQueueAttributes only at the call's timeout ({@link
 * AwsClients#CALL_TIMEOUT}, 15 s, retries included), one thread standing for the pool's eight. A
 * read that starts too late to decide what it finds is not started: otherwise a fleet's idle reads
 * (1,000 at 15 s on 8 threads: about half an hour) run the invocation into the function's timeout,
 * and a check holds the function, which runs one invocation at a time, through the minute's
 * scheduled invocation.
 */
class SlowIdleReadsTest {

  private final PacedLastRound world = new PacedLastRound((service, second) -> 0);
  private final List<Long> readsStarted = Collections.synchronizedList(new ArrayList<>());
  private final List<String> idle = IntStream.range(0, 10).mapToObj(i -> "q" + i).toList();

  /** An idle queue's read: empty, answered at the call's timeout from {@code slowFrom} s on. */
  private long slowEmptyRead(long second, long slowFrom) {
    if (second >= slowFrom) {
      readsStarted.add(second);
      world.clock.advance(AwsClients.CALL_TIMEOUT);
    }
    return 0L;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCheckStartsNoReadAfterTheLastMomentItCouldDecideAFilledQueue() {
    CycleReport report =
        world.check(idle, Duration.ofSeconds(15), Map.of(), second -> slowEmptyRead(second, 0));

    assertThat(readsStarted)
        .as(
            "reads started before 54 s (the next invocation at 60 s, less 5 s and the round's lead)")
        .containsExactly(15L, 30L, 45L);
    assertThat(world.secondsIn())
        .as("the check ends by the next invocation")
        .isLessThanOrEqualTo(60);
    assertThat(report.failures())
        .as("the queues not read are left to the next invocation, which reads them all")
        .isEmpty();
  }

  @Test
  void aCheckGivesUpAReadThatIsStillUnansweredAtItsCutoff() {
    CountDownLatch answer = new CountDownLatch(1);
    try {
      CycleReport report =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20),
              () ->
                  world.check(
                      List.of("hung", "q1"),
                      Duration.ofSeconds(15),
                      Map.of(),
                      second -> {
                        readsStarted.add(second);
                        if (readsStarted.size() == 1) {
                          // The first read is still unanswered at 60 s, past the cutoff (54 s).
                          world.clock.advance(Duration.ofSeconds(45));
                          awaitQuietly(answer);
                        }
                        return 0L;
                      }),
              "the check returns without the read's answer");

      assertThat(readsStarted).as("the other read, queued behind it, never starts").hasSize(1);
      assertThat(report.failures()).as("left to the next invocation, not failed").isEmpty();
    } finally {
      answer.countDown();
    }
  }

  /**
   * A scheduled invocation of busy (50 messages, so the invocation runs its rounds) and the idle
   * targets, whose reads are slow from the round at 15 s on.
   */
  private CycleReport scheduledWithSlowIdleReads() {
    return world.invocationOfQueues(
        Stream.concat(Stream.of("busy"), idle.stream()).toList(),
        Map.of(),
        (name, second) -> name.equals("busy") ? 50L : slowEmptyRead(second, 15));
  }

  @Test
  void slowIdleReadsOfOneRoundLeaveTheNextRoundItsSamples() {
    CycleReport report = scheduledWithSlowIdleReads();

    assertThat(report.outcomes())
        .filteredOn(outcome -> outcome.decision().target().equals("busy"))
        .extracting(outcome -> world.secondsAt(outcome.decision().time()))
        .as("busy sampled at every offset: the 15 s round's reads stop when the 30 s round is due")
        .containsExactly(0L, 15L, 30L, 45L);
    assertThat(readsStarted)
        .as("one read in each round with idle checks")
        .containsExactly(15L, 45L);
  }

  @Test
  void slowIdleReadsStopWhenTheScaleInsWaitingForThemAreNextDue() {
    PacedLastRound fiveTasks =
        new PacedLastRound((service, second) -> service.equals("drained-svc") ? 5 : 0);
    List<String> names = Stream.concat(Stream.of("drained"), idle.stream()).toList();

    fiveTasks.invocationOfQueues(
        names,
        Map.of("scale-in-stabilization-seconds", "0"),
        // drained's queue empties to one task's worth at 15 s, the only target due then: its
        // scale-in waits for the round's idle reads, which are slow from 15 s on.
        (name, second) -> {
          if (name.equals("drained")) {
            return second >= 15 ? 10L : 50L;
          }
          if (second >= 15) {
            fiveTasks.clock.advance(AwsClients.CALL_TIMEOUT);
          }
          return 0L;
        });

    assertThat(fiveTasks.updates)
        .as("the reads stop at 30 s, drained's next sample, and its scale-in acts then")
        .containsExactly("drained-svc=1@31");
  }

  @Test
  void theScheduledInvocationStartsNoIdleReadAfterItsLastMomentToAct() {
    CycleReport report = scheduledWithSlowIdleReads();

    assertThat(readsStarted)
        .as(
            "reads started before 47 s (the 90 s deadline less two calls at their worst, the margin"
                + " and the round's lead)")
        .isNotEmpty()
        .allSatisfy(second -> assertThat(second).isLessThan(47L));
    assertThat(world.secondsIn()).as("the invocation ends by its deadline").isLessThanOrEqualTo(90);
    assertThat(report.failures()).as("no target failed").isEmpty();
  }
}
