package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Change notices against any run of failures: a notice leaves its queue only once the change it
 * tells of is stored in the read model, and once the failures stop, every change is in force and
 * the queue is empty.
 */
class ChangeNoticeProperties {

  private static final int TARGETS = 20;

  /**
   * One minute: the targets whose max-tasks changes (each with its notice), a target whose own read
   * fails, and whether storing the read model or removing notices fails.
   */
  record Minute(
      List<Integer> changed,
      Optional<Integer> unreadable,
      boolean storeFails,
      boolean settleFails) {}

  @Provide
  Arbitrary<List<Minute>> minutes() {
    Arbitrary<Minute> minute =
        Combinators.combine(
                Arbitraries.integers().between(0, TARGETS - 1).list().ofMaxSize(TARGETS),
                Arbitraries.integers().between(0, TARGETS - 1).optional(),
                Arbitraries.of(true, false, false, false),
                Arbitraries.of(true, false, false, false))
            .as(Minute::new);
    return minute.list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 200)
  void aNoticeLeavesOnlyOnceItsChangeIsStoredAndNoChangeIsLost(
      @ForAll("minutes") List<Minute> minutes) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    InMemoryParameterPages ssm = new InMemoryParameterPages(clock, 10, Duration.ofMillis(50));
    ParameterMirror stored = ParameterMirror.inMemory(8);
    boolean[] storeFails = {false};
    ParameterMirror mirror =
        new ParameterMirror() {
          @Override
          public int shards() {
            return stored.shards();
          }

          @Override
          public Control control() {
            return stored.control();
          }

          @Override
          public void claim(String prefix) {
            stored.claim(prefix);
          }

          @Override
          public Map<Integer, Shard> load(java.util.Collection<Integer> shards) {
            return stored.load(shards);
          }

          @Override
          public Map<Integer, Long> save(Map<Integer, Map<String, Entry>> shards) {
            if (storeFails[0]) {
              throw new IllegalStateException("PutItem failed: InternalServerError");
            }
            return stored.save(shards);
          }

          @Override
          public void advance(Cursor cursor) {
            if (storeFails[0]) {
              throw new IllegalStateException("UpdateItem failed: InternalServerError");
            }
            stored.advance(cursor);
          }
        };
    ParameterReadModelTest.QueuedNotices queue = new ParameterReadModelTest.QueuedNotices();
    queue.beforeSettle =
        notices -> {
          for (ChangeNotices.Notice notice : notices) {
            assertThat(isStored(stored, notice))
                .as("%s is stored before its notice leaves", notice)
                .isTrue();
          }
        };
    for (int i = 0; i < TARGETS; i++) {
      FixedParameters.putTarget(ssm.stored, name(i).value());
    }
    ParameterReadModel model =
        new ParameterReadModel(
            ssm, mirror, new ParameterReadModelTest.RecordedChanges(), queue, clock, 4);
    model.read(Instant.MAX);

    int value = 100;
    for (Minute minute : minutes) {
      clock.advance(Duration.ofSeconds(60));
      for (int changed : minute.changed()) {
        ssm.stored.put(name(changed).value() + "/max-tasks", Integer.toString(value++));
        queue.send(name(changed), clock.instant());
        clock.advance(Duration.ofMillis(1));
      }
      ssm.unreadableTarget = minute.unreadable().map(ChangeNoticeProperties::name);
      storeFails[0] = minute.storeFails();
      queue.settleFails = minute.settleFails();
      model.read(clock.instant().plusSeconds(40));
      queue.showHidden(); // their hidden time ends before the next minute
    }
    ssm.unreadableTarget = Optional.empty();
    storeFails[0] = false;
    queue.settleFails = false;
    Map<String, String> last = Map.of();
    for (int quiet = 0; quiet < 2; quiet++) {
      clock.advance(Duration.ofSeconds(60));
      last = model.read(clock.instant().plusSeconds(40)).values();
      queue.showHidden();
    }

    assertThat(queue.held()).as("every notice settled").isZero();
    assertThat(last).as("every change in force").isEqualTo(Map.copyOf(ssm.stored));
  }

  private static TargetName name(int i) {
    return new TargetName(String.format("t%02d", i));
  }

  /** Whether the mirror as stored holds a read of the notice's target begun after it was sent. */
  private static boolean isStored(ParameterMirror stored, ChangeNotices.Notice notice) {
    boolean coveredByWalk =
        stored
            .control()
            .cursor()
            .filter(cursor -> notice.sentAt().isBefore(cursor.coversChangesBefore()))
            .isPresent();
    boolean readSince =
        notice
            .target()
            .map(
                target -> {
                  int shard = ParameterMirror.shardOf(target.value(), stored.shards());
                  return Optional.ofNullable(stored.load(List.of(shard)).get(shard))
                      .map(found -> found.entries().get(target.value()))
                      .filter(entry -> entry.readAt().isAfter(notice.sentAt()))
                      .isPresent();
                })
            .orElse(false);
    return coveredByWalk || readSince;
  }
}
