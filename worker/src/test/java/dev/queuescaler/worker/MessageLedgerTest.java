package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The life of a held message, one transition at a time. */
class MessageLedgerTest {

  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private final MessageLedger<String> ledger = new MessageLedger<>();

  @Test
  void aFinishedMessageWaitsForItsDeleteAndThenLeaves() {
    ledger.hold("h1", "m1", T0);
    ledger.hold("h2", "m2", T0);

    assertThat(ledger.succeeded("h2", "trace-2")).isEqualTo(MessageLedger.Settlement.RECORDED);

    assertThat(ledger.takeFinished(10))
        .containsExactly(new MessageLedger.Finished<>("h2", "m2", "trace-2"));
    assertThat(ledger.takeFinished(10)).as("taken once").isEmpty();
    ledger.settled("h2");
    assertThat(ledger.count(MessageLedger.State.RUNNING)).isEqualTo(1);
    assertThat(ledger.busy()).isTrue();
  }

  @Test
  void aMessageWhoseDeleteCallFailedWaitsForAnotherCallUntilItsRetryTimeIsSpent() {
    ledger.hold("h1", "m1", T0);
    ledger.succeeded("h1", "trace-1");
    Duration retryFor = FinishedDeleter.RETRY_FOR;

    assertThat(ledger.takeFinished(10)).hasSize(1);
    assertThat(ledger.deleteAgain("h1", T0, retryFor)).as("its first failed call").isTrue();
    assertThat(ledger.takeFinished(10)).hasSize(1);
    assertThat(ledger.deleteAgain("h1", T0.plus(retryFor).minusMillis(1), retryFor))
        .as("still within the retry time, counted from the first failure")
        .isTrue();
    assertThat(ledger.busy()).as("still ours, still heartbeated").isTrue();
    assertThat(ledger.takeFinished(10)).hasSize(1);
    assertThat(ledger.deleteAgain("h1", T0.plus(retryFor), retryFor))
        .as("the retry time is spent: it is settled, delivered again later")
        .isFalse();
    assertThat(ledger.takeFinished(10)).isEmpty();
  }

  @Test
  void aFinishedMessageWhoseHeartbeatIsRefusedLeavesTheLedger() {
    ledger.hold("h1", "m1", T0);
    ledger.succeeded("h1", "trace-1");

    // A heartbeat due for it was refused while it waited for its delete (a delete call had failed).
    assertThat(ledger.lost("h1")).contains("m1");

    assertThat(ledger.takeFinished(10)).as("not ours to delete").isEmpty();
    assertThat(ledger.count(MessageLedger.State.LOST))
        .as("its outcome is in: nothing else would ever remove it")
        .isZero();
    assertThat(ledger.claimUnfinished()).isEmpty();
  }

  @Test
  void aFailedMessageLeavesAtOnceSoTheTaskGoesIdle() {
    ledger.hold("h1", "m1", T0);

    assertThat(ledger.failed("h1")).isEqualTo(MessageLedger.Settlement.RECORDED);

    assertThat(ledger.busy()).isFalse();
    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(60), Duration.ofSeconds(10), VISIBILITY))
        .isEmpty();
  }

  @Test
  void aLostMessageIsNeitherHeartbeatedNorDeleted() {
    ledger.hold("h1", "m1", T0);

    assertThat(ledger.lost("h1")).contains("m1");

    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(60), Duration.ofSeconds(10), VISIBILITY))
        .isEmpty();
    assertThat(ledger.succeeded("h1", "t")).isEqualTo(MessageLedger.Settlement.WAS_LOST);
    assertThat(ledger.takeFinished(10)).isEmpty();
    assertThat(ledger.busy()).isFalse();
  }

  @Test
  void heartbeatsAreDueAThirdOfTheTimeoutAfterTheLastExtension() {
    ledger.hold("h1", "m1", T0);
    Duration every = Duration.ofSeconds(10);

    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(9), every, VISIBILITY)).isEmpty();
    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(11), every, VISIBILITY)).containsExactly("h1");
    ledger.extended(List.of("h1"), T0.plusSeconds(11), Duration.ofSeconds(30));
    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(20), every, VISIBILITY)).isEmpty();
  }

  @Test
  void dueMessagesComeSoonestToRunOutFirstSoThatABeatsFirstCallsAreForThem() {
    Duration every = Duration.ofSeconds(10);
    ledger.hold("received-first", "m1", T0);
    ledger.hold("near-limit", "m2", T0);
    ledger.hold("received-later", "m3", T0.plusSeconds(5));
    ledger.hold("received-with-the-first", "m4", T0);
    // Near SQS's 12-hour limit it was granted less than the timeout: it runs out at T0 + 20 s.
    ledger.extended(List.of("near-limit"), T0.plusSeconds(12), Duration.ofSeconds(8));

    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(23), every, VISIBILITY))
        .containsExactly(
            "near-limit", "received-first", "received-with-the-first", "received-later");
  }

  @Test
  void aRunningMessageIsGivenUpOnlyOnceItsVisibilityHasRunOutAndFinishedOnesWaitForTheirDelete() {
    Duration visibility = Duration.ofSeconds(30);
    ledger.hold("running", "m1", T0);
    ledger.hold("extended", "m2", T0);
    ledger.hold("finished", "m3", T0);
    ledger.succeeded("finished", "t");
    ledger.extended(List.of("extended"), T0.plusSeconds(20), visibility);

    assertThat(ledger.expire(T0.plusSeconds(29), visibility)).isEmpty();
    assertThat(ledger.expire(T0.plusSeconds(30), visibility)).containsExactly("m1");

    assertThat(ledger.dueForHeartbeat(T0.plusSeconds(40), Duration.ofSeconds(10), visibility))
        .as("the finished one runs out first")
        .containsExactly("finished", "extended");
    assertThat(ledger.succeeded("running", "late")).isEqualTo(MessageLedger.Settlement.WAS_LOST);
    assertThat(ledger.takeFinished(10))
        .extracting(MessageLedger.Finished::receiptHandle)
        .containsExactly("finished");
  }

  @Test
  void aLostMessageWhoseHandlerStillRunsPastTheBoundCountsAsStuckWithNothingToGiveBack() {
    Duration bound = Duration.ofHours(12);
    ledger.hold("hung", "m1", T0);
    // Its visibility ran out first: the bound is at SQS's 12 hours, the heartbeat stops short.
    assertThat(ledger.expire(T0.plus(bound).minusSeconds(5), Duration.ofSeconds(30)))
        .containsExactly("m1");

    assertThat(ledger.overdue(T0.plus(bound), bound))
        .containsExactly(new MessageLedger.Overdue("hung", "m1", bound, true));
    assertThat(ledger.count(MessageLedger.State.TIMED_OUT)).as("a stuck thread").isEqualTo(1);
    assertThat(ledger.overdue(T0.plus(bound).plusSeconds(1), bound)).as("once").isEmpty();
    assertThat(ledger.succeeded("hung", "late")).isEqualTo(MessageLedger.Settlement.WAS_TIMED_OUT);
    assertThat(ledger.takeFinished(10)).as("not deleted").isEmpty();
  }

  @Test
  void aMessageHeldPastTheBoundIsGivenUpOnceAndNoLongerKeepsTheTaskBusy() {
    Duration bound = Duration.ofMinutes(15);
    ledger.hold("stuck", "m1", T0);
    ledger.hold("young", "m2", T0.plusSeconds(60));

    assertThat(ledger.overdue(T0.plus(bound).minusSeconds(1), bound)).isEmpty();
    assertThat(ledger.overdue(T0.plus(bound), bound))
        .containsExactly(new MessageLedger.Overdue("stuck", "m1", bound, false));
    assertThat(ledger.overdue(T0.plus(bound).plusSeconds(1), bound)).as("once").isEmpty();

    assertThat(ledger.count(MessageLedger.State.TIMED_OUT)).isEqualTo(1);
    assertThat(ledger.dueForHeartbeat(T0.plus(bound), Duration.ofSeconds(10), VISIBILITY))
        .containsExactly("young");
    assertThat(ledger.succeeded("stuck", "late")).isEqualTo(MessageLedger.Settlement.WAS_TIMED_OUT);
    assertThat(ledger.count(MessageLedger.State.TIMED_OUT)).as("its thread returned").isZero();
    assertThat(ledger.takeFinished(10)).as("not deleted").isEmpty();
  }

  @Test
  void atShutdownATimedOutMessageIsNotGivenBackTwice() {
    ledger.hold("stuck", "m1", T0);
    ledger.hold("running", "m2", T0.plusSeconds(60));
    ledger.overdue(T0.plusSeconds(60), Duration.ofSeconds(60));

    assertThat(ledger.claimUnfinished()).containsExactly("running");
    assertThat(ledger.count(MessageLedger.State.TIMED_OUT)).isZero();
  }

  @Test
  void onlyMessagesThisTaskStillHasToFinishKeepItBusy() {
    ledger.hold("lost", "m1", T0);
    ledger.hold("stuck", "m2", T0);
    ledger.lost("lost");
    ledger.overdue(T0.plusSeconds(60), Duration.ofSeconds(60));

    assertThat(ledger.busy()).as("lost and timed out only").isFalse();
    ledger.hold("running", "m3", T0);
    assertThat(ledger.busy()).isTrue();
  }

  @Test
  void atTheDeadlineOnlyUnfinishedWorkIsGivenBackAndFinishedWorkStaysToBeDeleted() {
    ledger.hold("running", "m1", T0);
    ledger.hold("finished", "m2", T0);
    ledger.hold("lost", "m3", T0);
    ledger.succeeded("finished", "t");
    ledger.lost("lost");

    assertThat(ledger.claimUnfinished()).containsExactly("running");

    assertThat(ledger.takeFinished(10))
        .extracting(MessageLedger.Finished::receiptHandle)
        .containsExactly("finished");
    assertThat(ledger.succeeded("running", "late"))
        .as("a late outcome for a message given back is not ours")
        .isEqualTo(MessageLedger.Settlement.WAS_RELEASED);
  }

  @Test
  void deletesTakeTheOldestFinishedFirstTenAtATime() {
    for (int i = 0; i < 12; i++) {
      ledger.hold("h" + i, "m" + i, T0);
      ledger.succeeded("h" + i, "t" + i);
    }

    assertThat(ledger.takeFinished(10))
        .hasSize(10)
        .first()
        .extracting(f -> f.receiptHandle())
        .isEqualTo("h0");
    assertThat(ledger.takeFinished(10))
        .extracting(MessageLedger.Finished::receiptHandle)
        .containsExactly("h10", "h11");
  }
}
