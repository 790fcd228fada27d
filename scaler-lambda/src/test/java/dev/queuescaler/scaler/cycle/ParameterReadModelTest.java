package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The read model of the targets' parameters: a slice of the prefix a cycle, within the time given,
 * kept in a mirror a new container starts from; recorded changes read target by target, or by one
 * walk when that is cheaper.
 */
class ParameterReadModelTest {

  private static final TargetName ORDERS = new TargetName("orders");
  private static final TargetName BILLING = new TargetName("billing");

  /** Pages of ten at 20 a second, the default share of Parameter Store's quota. */
  private static final Duration PER_PAGE = Duration.ofMillis(50);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final InMemoryParameterPages ssm = new InMemoryParameterPages(clock, 10, PER_PAGE);
  private final ParameterMirror mirror = ParameterMirror.inMemory(8);
  private final RecordedChanges changes = new RecordedChanges();
  private ParameterReadModel model = container();

  private ParameterReadModel container() {
    return new ParameterReadModel(ssm, mirror, changes, clock, 4);
  }

  /** Every key of the contract: a target written with all of them fills three pages. */
  private static final int KEYS = ParameterKey.values().length;

  /** The pages of {@code targets} targets written with every key, ten parameters a page. */
  private static int pagesOf(int targets) {
    return (targets * KEYS + 9) / 10;
  }

  /** {@code count} targets with every key set: three pages each. */
  private void putTargetsWithAllKeys(int count) {
    for (int i = 0; i < count; i++) {
      String target = String.format("t%04d", i);
      for (ParameterKey key : ParameterKey.values()) {
        String value =
            switch (key) {
              case QUEUE_URL -> "https://sqs.local/0/" + target;
              case CLUSTER -> "workers";
              case SERVICE -> target + "-svc";
              default -> key.defaultValue();
            };
        ssm.stored.put(target + "/" + key.key(), value);
      }
    }
  }

  private static Set<String> targetsIn(Map<String, String> values) {
    return values.keySet().stream().map(ParameterReadModel::groupOf).collect(Collectors.toSet());
  }

  private Map<String, String> readWithin(Duration budget) {
    return model.read(clock.instant().plus(budget)).values();
  }

  @Test
  void aFirstReadThatCannotFitItsTimeStopsThereAndGoesOnNextCycleUntilEveryTargetIsKnown() {
    putTargetsWithAllKeys(100); // 100 x every key: 10 a page, 50 ms a page at the paced rate
    Duration budget = Duration.ofSeconds(4);

    Map<String, String> first = readWithin(budget);
    int firstPages = ssm.pagesRead;
    clock.advance(Duration.ofSeconds(60));
    Map<String, String> second = readWithin(budget);
    int reads = 2;
    Map<String, String> latest = second;
    while (!latest.equals(ssm.stored) && reads < 10) {
      clock.advance(Duration.ofSeconds(60));
      latest = readWithin(budget);
      reads++;
    }

    assertThat(firstPages).as("stopped at its time: 4 s of 50 ms pages").isEqualTo(80);
    // 80 pages hold 800 parameters, 160 pages 1,600: the targets whose every key they hold, less
    // one when a page ends exactly on a target's last key (no later key says it is complete).
    assertThat(targetsIn(first)).hasSizeBetween((800 - 1) / KEYS, 800 / KEYS + 1);
    assertThat(targetsIn(second)).hasSizeBetween((1_600 - 1) / KEYS, 1_600 / KEYS + 1);
    assertThat(latest).isEqualTo(ssm.stored);
    assertThat(reads).as("80 pages a read").isEqualTo((pagesOf(100) + 79) / 80);
    assertThat(ssm.pagesRead).as("no page read twice").isEqualTo(pagesOf(100));
  }

  @Test
  void aTargetWhoseKeysTheSliceSplitsIsKeptOnlyWhenItsLastKeyIsRead() {
    putTargetsWithAllKeys(2); // t0000 on pages 1-3, t0001 from page 3

    Map<String, String> first = readWithin(PER_PAGE.multipliedBy(3));

    assertThat(targetsIn(first)).containsExactly("t0000");
    assertThat(first).hasSize(KEYS);
    assertThat(readWithin(Duration.ofSeconds(1))).hasSize(2 * KEYS);
  }

  @Test
  void aNewContainerStartsFromTheStoredParametersAndReadsOnlyItsSlice() {
    putTargetsWithAllKeys(20);
    Map<String, String> known = readWithin(Duration.ofMinutes(1));
    int pages = ssm.pagesRead;

    model = container(); // after a timeout: nothing in memory
    clock.advance(Duration.ofSeconds(60));
    Map<String, String> restarted = readWithin(Duration.ofMinutes(1));

    assertThat(restarted).isEqualTo(known);
    assertThat(ssm.pagesRead - pages).as("a steady slice, not the prefix").isEqualTo(4);
  }

  @Test
  void aSteadyWalkFindsAChangeWhoseEventWasLostWithinOneWalk() {
    putTargetsWithAllKeys(4); // 9 pages
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("t0003/max-tasks", "40");

    Map<String, String> read = Map.of();
    int cycles = 0;
    while (!"40".equals(read.get("t0003/max-tasks"))) {
      clock.advance(Duration.ofSeconds(60));
      read = readWithin(Duration.ofMinutes(1));
      cycles++;
    }

    assertThat(cycles).as("9 pages, 4 a cycle").isLessThanOrEqualTo(3);
  }

  @Test
  void aRecordedChangeReadsOnlyThatTargetsPathOnTheNextCycle() {
    FixedParameters.putTarget(ssm.stored, "orders");
    FixedParameters.putTarget(ssm.stored, "billing");
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("orders/max-tasks", "4");
    ssm.stored.put("billing/max-tasks", "8");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    clock.advance(Duration.ofSeconds(50));
    int pages = ssm.pagesRead;

    Map<String, String> read = readWithin(Duration.ofMinutes(1));
    readWithin(Duration.ofMinutes(1));

    assertThat(read).containsEntry("orders/max-tasks", "4");
    assertThat(ssm.targetReads).as("orders' path once, then known").containsExactly(ORDERS);
    assertThat(ssm.pagesRead - pages).as("the steady walk goes on").isPositive();
  }

  @Test
  void aChangeRecordedAtTheInstantOfTheReadIsReadAgain() {
    FixedParameters.putTarget(ssm.stored, "orders");
    readWithin(Duration.ofMinutes(1));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    model.read(clock.instant()); // no time at all: nothing read
    ssm.stored.put("orders/max-tasks", "4");

    assertThat(readWithin(Duration.ofMinutes(1))).containsEntry("orders/max-tasks", "4");
  }

  @Test
  void aChangeThatNamesNoTargetStartsAWalkThatReadsAsMuchAsTheTimeAllows() {
    putTargetsWithAllKeys(10); // 23 pages
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("t0009/max-tasks", "40");
    changes.recordChange(clock.instant(), Optional.empty());
    clock.advance(Duration.ofSeconds(60));
    int pages = ssm.pagesRead;

    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(read).containsEntry("t0009/max-tasks", "40");
    assertThat(ssm.pagesRead - pages).as("the whole walk, not 4 pages").isEqualTo(pagesOf(10));
  }

  @Test
  void aChangeThatNamesNoTargetEveryMinuteStillLetsTheWalkReachTheEndOfThePrefix() {
    putTargetsWithAllKeys(100); // 230 pages: 80 fit a cycle's 4 s
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("t0099/max-tasks", "40"); // its event lost

    Map<String, String> read = Map.of();
    int cycles = 0;
    while (!"40".equals(read.get("t0099/max-tasks")) && cycles < 10) {
      // Something under the prefix that is no target's key changes every minute (a parameter
      // deeper than <target>/<key>, another team's, a storm recorded as one change).
      changes.recordChange(clock.instant(), Optional.empty());
      clock.advance(Duration.ofSeconds(60));
      read = readWithin(Duration.ofSeconds(4));
      cycles++;
    }

    assertThat(read.get("t0099/max-tasks"))
        .as("t0099/max-tasks after %d cycles (%d pages read)", cycles, ssm.pagesRead)
        .isEqualTo("40");
    assertThat(cycles).as("230 pages at 80 a cycle, and a walk again").isLessThanOrEqualTo(6);
  }

  @Test
  void manyChangesAtOnceAreReadByOneWalkInsteadOfTargetByTarget() {
    putTargetsWithAllKeys(100); // 230 pages; each target's own path is 3
    readWithin(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      ssm.stored.put(String.format("t%04d/max-tasks", i), "30");
      changes.recordChange(clock.instant(), Optional.of(new TargetName(String.format("t%04d", i))));
    }
    clock.advance(Duration.ofSeconds(60));
    int pages = ssm.pagesRead;

    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(ssm.targetReads).as("no path read one by one").isEmpty();
    assertThat(ssm.pagesRead - pages).as("one walk, not 300 pages").isEqualTo(pagesOf(100));
    assertThat(read).containsEntry("t0000/max-tasks", "30").containsEntry("t0099/max-tasks", "30");
    clock.advance(Duration.ofSeconds(60));
    readWithin(Duration.ofMinutes(1));
    assertThat(ssm.targetReads).as("the walk covered every change").isEmpty();
  }

  @Test
  void aTargetTheWholeWalkDidNotFindIsGone() {
    FixedParameters.putTarget(ssm.stored, "orders");
    FixedParameters.putTarget(ssm.stored, "billing");
    readWithin(Duration.ofMinutes(1));
    ssm.stored.keySet().removeIf(name -> name.startsWith("billing/"));

    clock.advance(Duration.ofSeconds(60));
    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(targetsIn(read)).containsExactly("orders");
  }

  @Test
  void aTargetWhoseKeysAreAllDeletedIsGoneOnItsChange() {
    FixedParameters.putTarget(ssm.stored, "orders");
    putTargetsWithAllKeys(10);
    readWithin(Duration.ofMinutes(1));
    ssm.stored.keySet().removeIf(name -> name.startsWith("orders/"));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));

    clock.advance(Duration.ofSeconds(60));

    assertThat(targetsIn(readWithin(Duration.ofMinutes(1)))).doesNotContain("orders");
  }

  @Test
  void aTargetDeletedWhileTheWalkCarriesSomeOfItsKeysStaysDeleted() {
    putTargetsWithAllKeys(4); // 25 keys each: t0001 on pages 3 to 5
    readWithin(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(60));
    readWithin(Duration.ofMinutes(1)); // the steady walk stops after page 4, in t0001's keys
    ssm.stored.keySet().removeIf(name -> name.startsWith("t0001/"));
    changes.recordChange(clock.instant(), Optional.of(new TargetName("t0001")));
    clock.advance(Duration.ofSeconds(60));

    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(ssm.targetReads).as("its delete was read").contains(new TargetName("t0001"));
    assertThat(targetsIn(read))
        .as("what the walk carried from before the delete")
        .doesNotContain("t0001");
  }

  @Test
  void aKeyTheWholeWalkDidNotFindIsGoneAtItsEnd() {
    FixedParameters.putTarget(ssm.stored, "orders");
    ssm.stored.put("orders/max-tasks", "4");
    readWithin(Duration.ofMinutes(1));
    ssm.stored.remove("orders/max-tasks"); // its delete event lost

    clock.advance(Duration.ofSeconds(60));
    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(read).doesNotContainKey("orders/max-tasks").containsKey("orders/queue-url");
  }

  @Test
  void aTargetWhoseKeysComeInSeveralRunsKeepsItsOtherKeysUntilTheWalkHasReadThemAll() {
    // Creation order, two names a page: orders' max-tasks was tuned after billing was created.
    OrderedPages ordered =
        new OrderedPages(
            java.util.List.of(
                "orders/queue-url",
                "orders/cluster",
                "orders/service",
                "billing/queue-url",
                "billing/cluster",
                "billing/service",
                "orders/max-tasks"));
    ParameterReadModel one = new ParameterReadModel(ordered, mirror, changes, clock, 1);
    one.read(Instant.MAX); // the first walk, urgent: every page
    clock.advance(Duration.ofSeconds(60));

    for (int cycle = 0; cycle < 4; cycle++) { // the steady walk: a page a cycle
      Map<String, String> read = one.read(Instant.MAX).values();
      assertThat(read).as("cycle %d", cycle).containsEntry("orders/max-tasks", "4").hasSize(7);
      clock.advance(Duration.ofSeconds(60));
    }
  }

  @Test
  void aDryRunUsesTheStoredParametersAndChangesNothing() {
    putTargetsWithAllKeys(4);
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("t0000/max-tasks", "40");
    changes.recordChange(clock.instant(), Optional.of(new TargetName("t0000")));
    clock.advance(Duration.ofSeconds(60));
    ParameterMirror.Control stored = mirror.control();

    ParameterSource.Reading dry = model.readOnly(clock.instant().plusSeconds(60));

    assertThat(dry.values()).containsEntry("t0000/max-tasks", "40");
    assertThat(mirror.control()).as("no shard, no cursor written").isEqualTo(stored);
    Map<String, String> live = readWithin(Duration.ofMinutes(1));
    assertThat(live).containsEntry("t0000/max-tasks", "40");
    assertThat(ssm.targetReads)
        .as("the live cycle read the change again: the dry run kept nothing")
        .containsExactly(new TargetName("t0000"), new TargetName("t0000"));
    assertThat(mirror.control()).isNotEqualTo(stored);
  }

  @Test
  void aStoredModelOfAnotherPrefixIsNeitherUsedNorChanged() {
    FixedParameters.putTarget(ssm.stored, "orders");
    mirror.claim("/team-a");

    assertThatThrownBy(() -> model.read(clock.instant().plusSeconds(60)))
        .hasMessageContaining("mirrors /team-a, not /queue-scaler")
        .hasMessageContaining("SCALER_PARAMETER_PATH");
    assertThatThrownBy(() -> model.readOnly(clock.instant().plusSeconds(60)))
        .hasMessageContaining("mirrors /team-a, not /queue-scaler");
    assertThat(ssm.pagesRead).as("nothing read").isZero();
    assertThat(mirror.control())
        .isEqualTo(new ParameterMirror.Control(Optional.of("/team-a"), Optional.empty(), Map.of()));
  }

  @Test
  void aChangedTargetWhoseOwnReadFailsIsReadByTheWalkWhenTheWalkReachesIt() {
    FixedParameters.putTarget(ssm.stored, "orders");
    FixedParameters.putTarget(ssm.stored, "billing");
    readWithin(Duration.ofMinutes(1));
    ssm.stored.put("orders/enabled", "false");
    ssm.stored.put("billing/max-tasks", "8");
    clock.advance(Duration.ofSeconds(10));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    changes.recordChange(clock.instant(), Optional.of(BILLING));
    ssm.unreadableTarget = Optional.of(BILLING);
    clock.advance(Duration.ofSeconds(50));

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(60));

    assertThat(reading.values())
        .containsEntry("orders/enabled", "false")
        .containsEntry("billing/max-tasks", "8");
    assertThat(reading.unread()).as("the walk's page had all of billing").isEmpty();
  }

  @Test
  void aWalkWhosePlaceIsNoLongerAcceptedStartsAgainFromTheFirstPage() {
    putTargetsWithAllKeys(10);
    readWithin(PER_PAGE.multipliedBy(5));
    ssm.cursorExpired = true;

    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(read).isEqualTo(ssm.stored);
  }

  @Test
  void aWalkThatFailsKeepsWhatItReadAndSaysSo() {
    putTargetsWithAllKeys(10);
    readWithin(Duration.ofMinutes(1));
    ssm.pagesFail = true;
    clock.advance(Duration.ofSeconds(60));

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(60));

    assertThat(reading.values()).isEqualTo(ssm.stored);
    assertThat(reading.problems())
        .singleElement()
        .asString()
        .contains("walk over /queue-scaler stopped")
        .contains("ThrottlingException");
  }

  @Test
  void whatOneContainerStoresAnotherReadsWithoutReadingTheTargetAgain() {
    FixedParameters.putTarget(ssm.stored, "orders");
    readWithin(Duration.ofMinutes(1));
    ParameterReadModel other = container();
    other.read(clock.instant().plusSeconds(60));
    ssm.stored.put("orders/max-tasks", "4");
    clock.advance(Duration.ofSeconds(1));
    changes.recordChange(clock.instant(), Optional.of(ORDERS));
    clock.advance(Duration.ofSeconds(60));

    other.read(clock.instant().plusSeconds(60));
    clock.advance(Duration.ofSeconds(60));
    Map<String, String> read = readWithin(Duration.ofMinutes(1));

    assertThat(read).containsEntry("orders/max-tasks", "4");
    assertThat(ssm.targetReads).as("read by the other container only").containsExactly(ORDERS);
  }

  @Test
  void aWalkPartlyReadByAnotherProcessForgetsNoTargetItDidNotSee() {
    putTargetsWithAllKeys(10); // 23 pages: the steady walk reads 4 a cycle
    readWithin(Duration.ofMinutes(1));
    ParameterReadModel cli = container(); // a dry run beside the function, without the lease
    readWithin(Duration.ofMinutes(1));
    cli.read(clock.instant().plusSeconds(60));

    for (int cycle = 0; cycle < 6; cycle++) {
      clock.advance(Duration.ofSeconds(60));
      Map<String, String> read = readWithin(Duration.ofMinutes(1));

      assertThat(targetsIn(read)).as("cycle %d: none forgotten", cycle).hasSize(10);
    }
  }

  @Test
  void withoutAStoredOrKnownMirrorTheReadFails() {
    ParameterMirror broken =
        new ParameterMirror() {
          @Override
          public int shards() {
            return 1;
          }

          @Override
          public Control control() {
            throw new IllegalStateException("GetItem failed");
          }

          @Override
          public void claim(String prefix) {
            throw new IllegalStateException("unused");
          }

          @Override
          public Map<Integer, Shard> load(Collection<Integer> shards) {
            throw new IllegalStateException("unused");
          }

          @Override
          public Map<Integer, Long> save(Map<Integer, Map<String, Entry>> shards) {
            throw new IllegalStateException("unused");
          }

          @Override
          public void advance(Cursor cursor) {
            throw new IllegalStateException("unused");
          }
        };

    ParameterReadModel cold = new ParameterReadModel(ssm, broken, changes, clock);

    assertThatThrownBy(() -> cold.read(clock.instant().plusSeconds(60)))
        .hasMessageContaining("GetItem failed");
  }

  @Test
  void aChangeQueueThatCannotBeReadIsReportedAndTheWalkStillFindsTheChange() {
    FixedParameters.putTarget(ssm.stored, "orders");
    QueuedNotices queue = new QueuedNotices();
    model = new ParameterReadModel(ssm, mirror, changes, queue, clock, 4);
    readWithin(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(60));
    ssm.stored.put("orders/max-tasks", "9");
    queue.send(ORDERS, clock.instant());
    queue.unreadable = true;

    ParameterSource.Reading reading = model.read(clock.instant().plusSeconds(40));

    assertThat(reading.problems())
        .anyMatch(p -> p.contains("change notices cannot be received") && p.contains("walk"));
    assertThat(reading.values())
        .as("the steady walk read it")
        .containsEntry("orders/max-tasks", "9");
    assertThat(queue.held()).as("the notice waits for the next cycle").isEqualTo(1);
  }

  @Test
  void noticesThatCannotBeRemovedAreReportedAndSettledWhenTheyComeBack() {
    FixedParameters.putTarget(ssm.stored, "orders");
    QueuedNotices queue = new QueuedNotices();
    model = new ParameterReadModel(ssm, mirror, changes, queue, clock, 4);
    readWithin(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(60));
    queue.send(ORDERS, clock.instant());
    clock.advance(Duration.ofMillis(1));
    queue.settleFails = true;

    ParameterSource.Reading first = model.read(clock.instant().plusSeconds(40));
    queue.settleFails = false;
    queue.showHidden();
    clock.advance(Duration.ofSeconds(60));
    ParameterSource.Reading second = model.read(clock.instant().plusSeconds(40));

    assertThat(first.problems()).anyMatch(p -> p.contains("not removed from their queue"));
    assertThat(second.problems()).isEmpty();
    assertThat(ssm.targetReads).as("read once; back, it is already read").containsExactly(ORDERS);
    assertThat(queue.held()).isZero();
  }

  /** A change queue in memory: notices are hidden when received, until shown or settled. */
  static final class QueuedNotices implements ChangeNotices {
    private final java.util.List<Notice> visible = new java.util.ArrayList<>();
    private final java.util.List<Notice> hidden = new java.util.ArrayList<>();
    private int sent;
    boolean unreadable;
    boolean settleFails;

    /** Sees each batch before it is settled (a property checks what is stored by then). */
    java.util.function.Consumer<java.util.List<Notice>> beforeSettle = notices -> {};

    void send(TargetName target, Instant at) {
      visible.add(new Notice("r" + ++sent, Optional.of(target), at));
    }

    void showHidden() {
      visible.addAll(hidden);
      hidden.clear();
    }

    @Override
    public java.util.List<Notice> receive(int max, Duration hiddenFor) {
      if (unreadable) {
        throw new IllegalStateException("ReceiveMessage failed: AccessDenied");
      }
      java.util.List<Notice> batch =
          new java.util.ArrayList<>(visible.subList(0, Math.min(max, visible.size())));
      visible.removeAll(batch);
      hidden.addAll(batch);
      return batch;
    }

    @Override
    public long waiting() {
      return visible.size();
    }

    /** Every notice not settled, visible or hidden. */
    int held() {
      return visible.size() + hidden.size();
    }

    @Override
    public void settle(java.util.List<Notice> notices) {
      if (settleFails) {
        throw new IllegalStateException("DeleteMessageBatch failed: AccessDenied");
      }
      beforeSettle.accept(notices);
      hidden.removeAll(notices);
    }
  }

  /** The change records the handler writes, in memory. */
  static final class RecordedChanges implements ParameterChanges {
    private Optional<Instant> whole = Optional.empty();
    private final Map<TargetName, Instant> byTarget = new HashMap<>();

    @Override
    public Recorded recorded() {
      return new Recorded(whole, byTarget);
    }

    @Override
    public void recordChange(Instant at, Optional<TargetName> target) {
      if (target.isPresent()) {
        byTarget.merge(target.get(), at, (a, b) -> a.isAfter(b) ? a : b);
      } else {
        whole = Optional.of(at);
      }
    }
  }

  /** Pages of two names in the order given, as moto returns a path's parameters. */
  private final class OrderedPages implements ParameterPages {
    private final java.util.List<String> names;

    OrderedPages(java.util.List<String> names) {
      this.names = names;
    }

    private String valueOf(String name) {
      return name.endsWith("/max-tasks") ? "4" : name.replace('/', '-');
    }

    @Override
    public Page page(Optional<String> from) {
      clock.advance(PER_PAGE);
      int start = from.map(Integer::parseInt).orElse(0);
      Map<String, String> page = new java.util.LinkedHashMap<>();
      for (int i = start; i < Math.min(names.size(), start + 2); i++) {
        page.put(names.get(i), valueOf(names.get(i)));
      }
      int next = start + 2;
      return new Page(
          page, next < names.size() ? Optional.of(Integer.toString(next)) : Optional.empty());
    }

    @Override
    public Map<String, String> readTarget(TargetName target) {
      Map<String, String> mine = new java.util.LinkedHashMap<>();
      names.stream()
          .filter(name -> name.startsWith(target.value() + "/"))
          .forEach(name -> mine.put(name, valueOf(name)));
      return mine;
    }

    @Override
    public String describe() {
      return "/queue-scaler";
    }
  }
}
