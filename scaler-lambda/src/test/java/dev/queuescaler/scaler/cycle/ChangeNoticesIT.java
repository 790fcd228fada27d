package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.SqsChangeNotices;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Parameter Store's change events through the scaler's queue (ElasticMQ): drained at the start of a
 * read, read target by target or by one walk, and removed only once what they tell of is stored.
 */
class ChangeNoticesIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final String PREFIX = "/queue-scaler";

  /** Pages of ten at 20 a second, the default share of Parameter Store's quota. */
  private static final Duration PER_PAGE = Duration.ofMillis(50);

  private static int queues;

  // The queue stamps notices with the wall clock: the model's starts an hour before (the settled
  // fleet was read before any change), and catches up when the changes are sent.
  private final MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(1)));
  private final InMemoryParameterPages ssm = new InMemoryParameterPages(clock, 10, PER_PAGE);
  private final ParameterMirror mirror = ParameterMirror.inMemory(8);
  private String queueUrl;
  private SqsChangeNotices notices;

  @BeforeEach
  void aQueueOfItsOwn() {
    queueUrl = aws.createQueue("parameter-changes-" + ++queues);
    notices = new SqsChangeNotices(aws.sqs, queueUrl, PREFIX);
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  private ParameterReadModel model(ParameterMirror mirror, Duration settlingTime) {
    return new ParameterReadModel(
        ssm, mirror, new ParameterReadModelTest.RecordedChanges(), notices, clock, 4, settlingTime);
  }

  private void putTargets(int count) {
    for (int i = 0; i < count; i++) {
      String target = String.format("t%04d", i);
      ssm.stored.put(target + "/queue-url", "https://sqs.local/0/" + target);
      ssm.stored.put(target + "/cluster", "workers");
      ssm.stored.put(target + "/service", target + "-svc");
    }
  }

  /** Changes the targets' max-tasks and sends each change's event, as the stack's rule would. */
  private void change(List<String> targets, String maxTasks) {
    List<String> names = new ArrayList<>();
    for (String target : targets) {
      ssm.stored.put(target + "/max-tasks", maxTasks);
      names.add(PREFIX + "/" + target + "/max-tasks");
    }
    send(names);
  }

  /** Sends the change events, then moves the model's clock on past the queue's stamps. */
  private void send(List<String> parameterNames) {
    aws.sendParameterChanges(queueUrl, parameterNames);
    Duration behind = Duration.between(clock.instant(), Instant.now().plusMillis(1));
    if (!behind.isNegative()) {
      clock.advance(behind);
    }
  }

  private static List<String> targets(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format("t%04d", i));
    }
    return names;
  }

  /** The queue's messages: waiting, and received but neither removed nor back yet. */
  private long inQueue() {
    Map<QueueAttributeName, String> attributes =
        aws.sqs
            .getQueueAttributes(
                g ->
                    g.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** A settled fleet: a first read walks the whole prefix, as a deployed scaler has. */
  private ParameterReadModel settled(int targets, ParameterMirror mirror, Duration settlingTime) {
    putTargets(targets);
    ParameterReadModel model = model(mirror, settlingTime);
    model.read(Instant.MAX);
    clock.advance(Duration.ofMinutes(1));
    ssm.pagesRead = 0;
    ssm.targetReads.clear();
    return model;
  }

  @Test
  void aStormOfAThousandChangeNoticesCostsOneWalkAndLosesNone() {
    ParameterReadModel model = settled(1_000, mirror, ParameterReadModel.SETTLING_TIME);
    change(targets(1_000), "30");

    Map<String, String> values = model.read(clock.instant().plusSeconds(40)).values();

    // 1,000 targets with 4 keys: 400 pages. One walk reads them all, instead of 1,000 paths.
    assertThat(ssm.targetReads).as("no target read on its own").isEmpty();
    assertThat(ssm.pagesRead).as("one walk over the prefix").isEqualTo(400);
    assertThat(values)
        .as("every change is in force")
        .containsAllEntriesOf(
            targets(1_000).stream()
                .collect(java.util.stream.Collectors.toMap(t -> t + "/max-tasks", t -> "30")));
    assertThat(inQueue()).as("every notice settled by the walk").isZero();
  }

  @Test
  void aFewChangeNoticesAreReadTargetByTarget() {
    ParameterReadModel model = settled(1_000, mirror, ParameterReadModel.SETTLING_TIME);
    change(List.of("t0007", "t0420"), "12");

    Map<String, String> values = model.read(clock.instant().plusSeconds(40)).values();

    assertThat(ssm.targetReads)
        .containsExactlyInAnyOrder(new TargetName("t0007"), new TargetName("t0420"));
    assertThat(values)
        .containsEntry("t0007/max-tasks", "12")
        .containsEntry("t0420/max-tasks", "12");
    assertThat(inQueue()).isZero();
  }

  @Test
  void aNoticeIsDeletedOnlyAfterItsTargetWasRead() {
    WatchedMirror watched = new WatchedMirror(mirror);
    List<Long> inQueueWhenStored = new ArrayList<>();
    ParameterReadModel model = settled(20, watched, ParameterReadModel.SETTLING_TIME);
    watched.beforeSave = () -> inQueueWhenStored.add(inQueue());
    change(List.of("t0003"), "9");

    Map<String, String> values = model.read(clock.instant().plusSeconds(40)).values();

    assertThat(values).containsEntry("t0003/max-tasks", "9");
    assertThat(inQueueWhenStored).as("still queued while its read was stored").containsExactly(1L);
    assertThat(inQueue()).as("removed once stored").isZero();
  }

  @Test
  void aFailedReadLeavesTheNoticesToComeBack() throws Exception {
    ParameterReadModel model = settled(20, mirror, Duration.ZERO);
    change(List.of("t0017", "t0018"), "9");
    // Past the pages the steady walk reads this cycle, which would read it whole.
    ssm.unreadableTarget = Optional.of(new TargetName("t0017"));

    ParameterSource.Reading failed = model.read(clock.instant().plusSeconds(1));

    assertThat(failed.unread()).containsOnlyKeys(new TargetName("t0017"));
    assertThat(failed.values()).containsEntry("t0018/max-tasks", "9");
    assertThat(inQueue()).as("t0017's notice is kept, t0018's removed").isEqualTo(1);

    // Hidden for the read's second (and no settling time here): then it is back.
    Thread.sleep(1_500);
    ssm.unreadableTarget = Optional.empty();
    clock.advance(Duration.ofMinutes(1));
    ParameterSource.Reading next = model.read(clock.instant().plusSeconds(1));

    assertThat(next.unread()).isEmpty();
    assertThat(next.values()).containsEntry("t0017/max-tasks", "9");
    assertThat(inQueue()).isZero();
  }

  @Test
  void aStoreThatFailsLeavesTheNoticesToComeBack() {
    WatchedMirror failing = new WatchedMirror(mirror);
    ParameterReadModel model = settled(20, failing, ParameterReadModel.SETTLING_TIME);
    change(List.of("t0005"), "7");
    failing.beforeSave =
        () -> {
          throw new IllegalStateException("PutItem failed: ProvisionedThroughputExceeded");
        };

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(40));

    assertThat(reading.problems()).anyMatch(p -> p.contains("not stored"));
    assertThat(inQueue()).as("read but not stored: kept").isEqualTo(1);
  }

  @Test
  void aNoticeNamingNoTargetStartsAWalkAndIsSettledByIt() {
    ParameterReadModel model = settled(20, mirror, ParameterReadModel.SETTLING_TIME);
    ssm.stored.put("t0002/max-tasks", "4");
    send(List.of(PREFIX + "/not-a-target-key"));

    Map<String, String> values = model.read(clock.instant().plusSeconds(40)).values();

    assertThat(values).containsEntry("t0002/max-tasks", "4");
    assertThat(ssm.pagesRead).as("a whole walk: 20 targets x 3 keys, and the new one").isEqualTo(7);
    assertThat(inQueue()).isZero();
  }

  @Test
  void aMessageThatIsNoParameterStoreChangeIsReportedNotSilentlyWalkedFor() {
    ParameterReadModel model = settled(20, mirror, ParameterReadModel.SETTLING_TIME);
    // Someone's test message, or another rule pointed at the queue: it names no parameter.
    aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("{\"hello\": \"world\""));
    send(List.of());

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(40));

    assertThat(reading.problems())
        .as(
            "bad input gets a clear error: otherwise a whole walk of the prefix (%s pages here)"
                + " has no line that says why",
            ssm.pagesRead)
        .anyMatch(problem -> problem.contains("notice"));
  }

  @Test
  void aMessageThatIsNoChangeUnderThePrefixIsRemovedAndWalksNothing() {
    ParameterReadModel model = settled(100, mirror, ParameterReadModel.SETTLING_TIME);
    aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody("{\"hello\": \"world\""));
    aws.sendParameterChanges(queueUrl, List.of("/elsewhere/t0001/max-tasks"));
    send(List.of());

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(40));

    assertThat(reading.problems())
        .filteredOn(problem -> problem.contains("change notice"))
        .hasSize(2)
        .anyMatch(problem -> problem.contains("not JSON"))
        .anyMatch(problem -> problem.contains("/elsewhere/t0001/max-tasks"));
    assertThat(ssm.pagesRead)
        .as("the steady walk's pages, not the prefix's 30")
        .isLessThanOrEqualTo(4);
    assertThat(inQueue()).as("removed: it would be reported every cycle").isZero();
  }

  @Test
  void theDrainStopsAtItsMostPerCycleAndTheRestComeNext() {
    ParameterReadModel model = settled(20, mirror, ParameterReadModel.SETTLING_TIME);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ParameterReadModel.MOST_NOTICES_PER_CYCLE + 50; i++) {
      names.add(PREFIX + "/t" + String.format("%04d", i % 20) + "/max-tasks");
    }
    send(names);

    model.read(clock.instant().plusSeconds(40));

    assertThat(inQueue()).as("the drain took its most, and settled them").isEqualTo(50);
    clock.advance(Duration.ofMinutes(1));
    model.read(clock.instant().plusSeconds(40));
    assertThat(inQueue()).isZero();
  }

  /** A mirror that passes every call on, and runs {@code beforeSave} before each save. */
  private static final class WatchedMirror implements ParameterMirror {
    private final ParameterMirror inner;
    Runnable beforeSave = () -> {};

    WatchedMirror(ParameterMirror inner) {
      this.inner = inner;
    }

    @Override
    public int shards() {
      return inner.shards();
    }

    @Override
    public Control control() {
      return inner.control();
    }

    @Override
    public void claim(String prefix) {
      inner.claim(prefix);
    }

    @Override
    public Map<Integer, Shard> load(Collection<Integer> shards) {
      return inner.load(shards);
    }

    @Override
    public Map<Integer, Long> save(Map<Integer, Map<String, Entry>> shards) {
      beforeSave.run();
      return inner.save(shards);
    }

    @Override
    public void advance(Cursor cursor) {
      inner.advance(cursor);
    }
  }
}
