package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ChangeNotices.Notice;
import dev.queuescaler.scaler.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The scaler's change queue as SQS holds it, against ElasticMQ. */
class SqsChangeNoticesIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static int queues;

  private String queueUrl;
  private SqsChangeNotices notices;

  @BeforeEach
  void aQueueOfItsOwn() {
    queueUrl = aws.createQueue("changes-" + ++queues);
    notices = new SqsChangeNotices(aws.sqs, queueUrl, "/queue-scaler");
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  private List<Notice> receiveAll(Duration hiddenFor) {
    List<Notice> all = new ArrayList<>();
    for (List<Notice> batch = notices.receive(10, hiddenFor);
        !batch.isEmpty();
        batch = notices.receive(10, hiddenFor)) {
      all.addAll(batch);
    }
    return all;
  }

  /** How many notices SQS holds hidden: received, and neither settled nor back yet. */
  private long hidden() {
    QueueAttributeName notVisible = QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE;
    return Long.parseLong(
        aws.sqs
            .getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(notVisible))
            .attributes()
            .get(notVisible));
  }

  @Test
  void aNoticeNamesTheTargetWhoseParameterChangedAndWhenItWasSent() {
    Instant before = Instant.now().minusSeconds(1);
    aws.sendParameterChanges(queueUrl, List.of("/queue-scaler/orders/max-tasks"));

    List<Notice> received = receiveAll(Duration.ofSeconds(30));

    assertThat(received).hasSize(1);
    assertThat(received.get(0).target()).contains(new TargetName("orders"));
    assertThat(received.get(0).sentAt()).isBetween(before, Instant.now().plusSeconds(1));
  }

  @Test
  void aNoticeThatNamesNoTargetAsksForAWalk() {
    aws.sendParameterChanges(
        queueUrl,
        List.of("/queue-scaler/stray", "/queue-scaler/orders/deep/key", "/elsewhere/x/y"));
    aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("not an event"));

    List<Notice> received = receiveAll(Duration.ofSeconds(30));

    assertThat(received).hasSize(4);
    // A name deeper than <target>/<key> is its target's: the target's own path read finds it.
    assertThat(received)
        .filteredOn(n -> n.target().isPresent())
        .extracting(Notice::target)
        .containsExactly(Optional.of(new TargetName("orders")));
  }

  @Test
  void aMessageThatIsNoChangeUnderThePrefixSaysWhyAndAsksForNoWalk() {
    aws.sendParameterChanges(queueUrl, List.of("/queue-scaler/stray", "/elsewhere/x/y"));
    aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("not an event"));
    aws.sqs.sendMessage(
        m -> m.queueUrl(queueUrl).messageBody("{\"source\":\"aws.ecs\",\"detail\":{}}"));

    List<Notice> received = receiveAll(Duration.ofSeconds(30));

    assertThat(received).hasSize(4);
    assertThat(received)
        .filteredOn(n -> n.notAChange().isEmpty())
        .as("a change under the prefix that names no target is walked for, as before")
        .singleElement()
        .satisfies(n -> assertThat(n.target()).isEmpty());
    assertThat(received.stream().map(Notice::notAChange).flatMap(Optional::stream))
        .as("each names its message and what is wrong with it")
        .hasSize(3)
        .allMatch(why -> why.startsWith("message "))
        .anyMatch(why -> why.contains("not JSON"))
        .anyMatch(why -> why.contains("not a Parameter Store change event (source \"aws.ecs\""))
        .anyMatch(why -> why.contains("/elsewhere/x/y, a parameter outside /queue-scaler"));
  }

  @Test
  void aSettledNoticeIsGoneAndOneNotSettledComesBackWhenItsHiddenTimeEnds() throws Exception {
    aws.sendParameterChanges(
        queueUrl, List.of("/queue-scaler/orders/max-tasks", "/queue-scaler/billing/max-tasks"));
    List<Notice> received = receiveAll(Duration.ofSeconds(3));
    // Each was received before now: each is back by then.
    Instant back = Instant.now().plusSeconds(3);
    assertThat(received).hasSize(2);
    Notice orders =
        received.stream()
            .filter(n -> n.target().equals(Optional.of(new TargetName("orders"))))
            .findFirst()
            .orElseThrow();

    notices.settle(List.of(orders));
    // A receive, a delete and this receive after them: well inside the 3 s they were hidden for.
    assertThat(notices.receive(10, Duration.ofSeconds(3))).as("hidden").isEmpty();
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), back).toMillis()) + 1_000);

    assertThat(receiveAll(Duration.ofSeconds(30)))
        .extracting(Notice::target)
        .containsExactly(Optional.of(new TargetName("billing")));
  }

  @Test
  void waitingCountsTheNoticesNotReceived() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      names.add("/queue-scaler/t" + i + "/max-tasks");
    }
    aws.sendParameterChanges(queueUrl, names);

    notices.receive(10, Duration.ofSeconds(30));

    assertThat(notices.waiting()).isEqualTo(15);
  }

  @Test
  void manyNoticesAreSettledAtOnce() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      names.add("/queue-scaler/t" + i + "/max-tasks");
    }
    aws.sendParameterChanges(queueUrl, names);

    notices.settle(receiveAll(Duration.ofSeconds(30)));

    assertThat(notices.waiting()).isZero();
    assertThat(hidden()).as("none left hidden to come back: each was deleted").isZero();
    assertThat(receiveAll(Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void aQueueThatIsGoneFailsWithItsName() {
    SqsChangeNotices gone =
        new SqsChangeNotices(aws.sqs, queueUrl + "-does-not-exist", "/queue-scaler");

    assertThatThrownBy(() -> gone.receive(10, Duration.ofSeconds(30)))
        .hasMessageContaining("ReceiveMessage")
        .hasMessageContaining("-does-not-exist");
  }
}
