package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterMirror.Cursor;
import dev.queuescaler.scaler.cycle.ParameterMirror.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The targets' parameters without ever reading the whole prefix in one invocation. What was read is
 * kept in a {@link ParameterMirror} (the state table), so a new container, or one whose predecessor
 * was killed, starts from it. Each cycle then, within the time it is given:
 *
 * <ol>
 *   <li>takes the change events queued for it ({@link ChangeNotices}, a bounded drain) and reads
 *       the path of each target whose change was queued or recorded since it was last read;
 *   <li>walks on over the prefix from where the last cycle stopped: a few pages a cycle ({@link
 *       #STEADY_PAGES}) to catch a lost event, or as many as the time allows when the walk is
 *       urgent (nothing read yet, a change that names no target, or so many changes that one walk
 *       costs less than reading each);
 *   <li>stores what changed and where the walk stopped, then removes the queued events whose
 *       changes are now stored (one whose read failed, or did not fit, comes back).
 * </ol>
 *
 * <p>A cycle that runs out of time leaves the rest for the next one, so no timeout can make every
 * invocation start the same read again. AWS documents no order for GetParametersByPath (moto
 * returns creation order), so a target's keys may come in several runs in one walk: each run is
 * added to what is known of the target, and only at the walk's end are the keys the whole walk did
 * not find dropped. A run whose keys a page splits is still carried over to the next page, across
 * invocations, so that a target is not first known by half its keys. At a walk's end, a target (or
 * a key) the whole walk did not find, and that no read found since the walk began, is gone, when
 * this container saw the walk from its start; otherwise its parameters' delete events remove it.
 *
 * <p>The stored model records the prefix it mirrors: a reader of another prefix (the CLI beside the
 * function with another {@code SCALER_PARAMETER_PATH}) refuses to read, rather than use or
 * overwrite it. A dry run ({@link #readOnly}) reads and uses the stored model but writes nothing.
 *
 * <p>Held by the composition root (one per container). One cycle at a time reads it.
 */
public final class ParameterReadModel implements ParameterSource {

  /**
   * Pages a steady walk reads a cycle: 2 s of the default Parameter Store share (20 a second), so a
   * prefix of 1,000 targets with three keys each (340 pages) is walked in 9 minutes, with all 23
   * keys (2,300 pages) in 58.
   */
  public static final int STEADY_PAGES = 40;

  /** Parameters a page holds (Parameter Store's maximum): to tell a walk's cost from a target's. */
  static final int PAGE_SIZE = 10;

  /**
   * Below this many pages of changed targets, each is read on its own even if a walk is cheaper.
   */
  static final int FEWEST_PAGES_FOR_A_WALK = 20;

  /**
   * Change notices a cycle takes from the queue at most: 100 short polls. A queue that holds more
   * than that tells of a storm, which one walk answers (see {@link #read(Instant)}).
   */
  public static final int MOST_NOTICES_PER_CYCLE = 1_000;

  /**
   * How long a notice stays hidden after the reads end: time to store what they found and to settle
   * the notices. One not settled by then is received again by the next cycle.
   */
  static final Duration SETTLING_TIME = Duration.ofSeconds(20);

  /** How long a notice stays hidden when the reads have no end (the CLI). */
  static final Duration HIDDEN_WITHOUT_END = Duration.ofSeconds(60);

  private final ParameterPages pages;
  private final ParameterMirror mirror;
  private final ParameterChanges changes;
  private final ChangeNotices notices;
  private final Duration settlingTime;
  private final Clock clock;
  private final int steadyPages;

  /** The entries this container holds, by group, and the version of each shard they came from. */
  private final Map<String, Entry> entries = new HashMap<>();

  private final Map<Integer, Long> versions = new HashMap<>();

  /**
   * The groups this container saw in the current walk, each with the names it saw, and whether it
   * saw the walk from its start.
   */
  private final Map<String, Set<String>> observed = new HashMap<>();

  private long seenWalk;
  private boolean seenFromStart;

  /** Where this container left the walk: found elsewhere, another process read pages between. */
  private Optional<Cursor> leftAt = Optional.empty();

  /** Whether this container loaded every shard, listed in the control item or not. */
  private boolean loadedAll;

  /** Whether this container asked the mirror to record its prefix with every write. */
  private boolean claimed;

  public ParameterReadModel(
      ParameterPages pages, ParameterMirror mirror, ParameterChanges changes, Clock clock) {
    this(pages, mirror, changes, clock, STEADY_PAGES);
  }

  /**
   * @param steadyPages pages a steady walk reads a cycle (at least 1)
   */
  public ParameterReadModel(
      ParameterPages pages,
      ParameterMirror mirror,
      ParameterChanges changes,
      Clock clock,
      int steadyPages) {
    this(pages, mirror, changes, ChangeNotices.NONE, clock, steadyPages);
  }

  /**
   * @param notices the change events queued for the scaler, drained at the start of each read
   * @param steadyPages pages a steady walk reads a cycle (at least 1)
   */
  public ParameterReadModel(
      ParameterPages pages,
      ParameterMirror mirror,
      ParameterChanges changes,
      ChangeNotices notices,
      Clock clock,
      int steadyPages) {
    this(pages, mirror, changes, notices, clock, steadyPages, SETTLING_TIME);
  }

  /**
   * @param settlingTime how long a received notice stays hidden after the reads' end (tests shorten
   *     it to see a notice come back)
   */
  ParameterReadModel(
      ParameterPages pages,
      ParameterMirror mirror,
      ParameterChanges changes,
      ChangeNotices notices,
      Clock clock,
      int steadyPages,
      Duration settlingTime) {
    this.settlingTime = Objects.requireNonNull(settlingTime, "settlingTime");
    this.pages = Objects.requireNonNull(pages, "pages");
    this.mirror = Objects.requireNonNull(mirror, "mirror");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.notices = Objects.requireNonNull(notices, "notices");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (steadyPages < 1) {
      throw new IllegalArgumentException("steadyPages must be >= 1 but was " + steadyPages);
    }
    this.steadyPages = steadyPages;
  }

  /** Everything, however long it takes (a walk that is not urgent still reads its few pages). */
  @Override
  public Map<String, String> readAll() {
    return read(Instant.MAX).values();
  }

  @Override
  public Reading read() {
    return read(Instant.MAX);
  }

  @Override
  public synchronized Reading read(Instant until) {
    return read(until, true);
  }

  /**
   * As {@link #read(Instant)}, storing nothing: a dry run (the CLI's {@code once --dry-run}, or a
   * {@code "dryRun": true} invocation) is documented as changing nothing, and it may run beside the
   * function without the lease. What it reads is not kept in this container either: kept without
   * being stored, it would look stored, and this container's next live cycle would never store it.
   */
  @Override
  public synchronized Reading readOnly(Instant until) {
    Memory saved = new Memory(this);
    try {
      return read(until, false);
    } finally {
      saved.restore(this);
    }
  }

  private Reading read(Instant until, boolean store) {
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    String prefix = pages.describe();
    ParameterMirror.Control control;
    try {
      control = mirror.control();
    } catch (RuntimeException e) {
      return storedUnreadable(e, problems);
    }
    Optional<String> other = control.prefix().filter(stored -> !stored.equals(prefix));
    if (other.isPresent()) {
      // Neither used (its targets are not this prefix's) nor walked over (this prefix's walk would
      // forget every one of them): the safe action is none, with the fix in one line.
      throw new IllegalStateException(
          "the parameter read model in this state table mirrors "
              + other.get()
              + ", not "
              + prefix
              + ": it is neither used nor changed; set SCALER_PARAMETER_PATH to "
              + other.get()
              + " or give "
              + prefix
              + " a state table of its own");
    }
    Set<Integer> dirty = new TreeSet<>();
    boolean rebuild;
    try {
      rebuild = refresh(control, problems, dirty);
    } catch (RuntimeException e) {
      return storedUnreadable(e, problems);
    }
    Optional<Instant> storedCovers = control.cursor().map(Cursor::coversChangesBefore);
    Cursor cursor = control.cursor().orElseGet(() -> Cursor.first(now));
    Cursor before = cursor;
    ParameterChanges.Recorded recorded;
    try {
      recorded = changes.recorded();
    } catch (RuntimeException e) {
      problems.add(
          "parameters: the recorded changes cannot be read, the walk over the prefix finds them: "
              + TargetCycle.describe(e));
      recorded = ParameterChanges.Recorded.NONE;
    }
    // A dry run takes no notice from the queue: receiving one hides it from the function's next
    // cycle, and a dry run settles none.
    Drained drained = store ? drain(until, problems) : Drained.NONE;
    for (ChangeNotices.Notice notice : drained.notices()) {
      // Walking the whole prefix for it would read every page with no line saying why.
      notice
          .notAChange()
          .ifPresent(
              why ->
                  problems.add(
                      "parameters: a change notice that is no Parameter Store change under "
                          + prefix
                          + " is removed from its queue, nothing is read for it: "
                          + why));
    }
    recorded = drained.addedTo(recorded);
    // A walk begun now reads every page after every notice received, however long the drain took.
    Instant drainedAt = clock.instant();
    Cursor start = cursor;
    boolean changedWhole =
        recorded.wholePrefix().filter(at -> !at.isBefore(start.coversChangesBefore())).isPresent();
    // An urgent walk under way goes on: restarting it for each change that names no target (one a
    // minute is enough) would read its first pages again every cycle and never reach the prefix's
    // end. Its coversChangesBefore stays its start, so a change made after it began starts another
    // urgent walk once it ends. A shard that could not be read is walked for at once, whatever the
    // walk: its targets may be behind the cursor.
    boolean urgentUnderWay = cursor.urgent() && !cursor.atStart();
    if (rebuild || (changedWhole && !urgentUnderWay)) {
      cursor = cursor.restartedUrgently(drainedAt);
    }
    List<TargetName> pending = pending(recorded, cursor);
    if (!cursor.urgent() && cheaperToWalk(pending, drained.unreceivedPages(pending))) {
      cursor = cursor.restartedUrgently(drainedAt);
      pending = pending(recorded, cursor);
    }
    Map<TargetName, String> unread = new HashMap<>();
    Map<TargetName, Instant> readNow = new HashMap<>();
    readChanged(pending, until, unread, readNow, dirty);
    Set<String> walked = new HashSet<>();
    cursor = walk(cursor, until, problems, dirty, walked, readNow);
    // A target whose own read failed but that the walk then read whole is read.
    unread.keySet().removeIf(target -> walked.contains(target.value()));
    if (!store) {
      return new Reading(values(), unread, problems);
    }
    if (!dirty.isEmpty() && !store(dirty, problems)) {
      // The walk goes on from where the stored shards say: these pages are read again. Only what
      // an earlier walk covers is settled; the rest come back.
      settle(drained.notices(), storedCovers, Optional.empty(), problems);
      return new Reading(values(), unread, problems);
    }
    if (!cursor.equals(before)) {
      try {
        claim();
        mirror.advance(cursor);
        leftAt = Optional.of(cursor);
        storedCovers = Optional.of(cursor.coversChangesBefore());
      } catch (RuntimeException e) {
        problems.add(
            "parameters: where the walk over the prefix stopped is not stored, its pages are read"
                + " again: "
                + TargetCycle.describe(e));
      }
    }
    settle(drained.notices(), storedCovers, Optional.of(readNow), problems);
    return new Reading(values(), unread, problems);
  }

  /**
   * The change notices a cycle took from the queue, and how many more wait there.
   *
   * @param waiting about how many notices wait beyond those received: not zero only when the drain
   *     stopped at {@link #MOST_NOTICES_PER_CYCLE}
   */
  private record Drained(List<ChangeNotices.Notice> notices, long waiting) {
    static final Drained NONE = new Drained(List.of(), 0);

    /** The recorded changes with the notices' added: the latest change of each target wins. */
    ParameterChanges.Recorded addedTo(ParameterChanges.Recorded recorded) {
      if (notices.isEmpty()) {
        return recorded;
      }
      Optional<Instant> wholePrefix = recorded.wholePrefix();
      Map<TargetName, Instant> byTarget = new HashMap<>(recorded.byTarget());
      for (ChangeNotices.Notice notice : notices) {
        if (notice.notAChange().isPresent()) {
          continue; // reported, and removed: it tells of nothing to read
        }
        if (notice.target().isPresent()) {
          byTarget.merge(notice.target().get(), notice.sentAt(), ParameterReadModel::later);
        } else {
          wholePrefix =
              Optional.of(
                  wholePrefix.map(at -> later(at, notice.sentAt())).orElse(notice.sentAt()));
        }
      }
      return new ParameterChanges.Recorded(wholePrefix, byTarget);
    }

    /**
     * The pages the notices still in the queue would cost, estimated from those received: as many
     * targets in each as among these, one page each at least.
     */
    long unreceivedPages(List<TargetName> pending) {
      if (waiting == 0 || notices.isEmpty()) {
        return 0;
      }
      Set<TargetName> pendingNamed = new HashSet<>(pending);
      long named =
          notices.stream()
              .map(ChangeNotices.Notice::target)
              .flatMap(Optional::stream)
              .filter(pendingNamed::contains)
              .distinct()
              .count();
      return waiting * named / notices.size();
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * Takes the queued change notices: ten a short poll, while the reads have time, up to {@link
   * #MOST_NOTICES_PER_CYCLE}. Each is hidden until this cycle has had time to read and settle it.
   */
  private Drained drain(Instant until, List<String> problems) {
    if (notices == ChangeNotices.NONE) {
      return Drained.NONE;
    }
    Duration hidden =
        until.equals(Instant.MAX)
            ? HIDDEN_WITHOUT_END
            : Duration.between(clock.instant(), until).plus(settlingTime);
    List<ChangeNotices.Notice> received = new ArrayList<>();
    try {
      while (received.size() < MOST_NOTICES_PER_CYCLE && clock.instant().isBefore(until)) {
        List<ChangeNotices.Notice> batch =
            notices.receive(
                Math.min(ChangeNotices.MOST_PER_RECEIVE, MOST_NOTICES_PER_CYCLE - received.size()),
                hidden);
        if (batch.isEmpty()) {
          return new Drained(received, 0);
        }
        received.addAll(batch);
      }
      return new Drained(received, received.isEmpty() ? 0 : notices.waiting());
    } catch (RuntimeException e) {
      problems.add(
          "parameters: the change notices cannot be received, they wait in their queue and the"
              + " walk over the prefix finds their changes: "
              + TargetCycle.describe(e));
      return new Drained(received, 0);
    }
  }

  /**
   * Removes the notices whose changes are read and stored: each one older than the start of the
   * stored walk's last urgent restart (that walk reads every target after it), or naming a target
   * whose stored read began after it; and the messages that are no change (reported as they were
   * received: coming back, they would be reported every cycle until the queue's retention ends).
   * The others come back when their hidden time ends.
   *
   * @param storedCovers the {@link Cursor#coversChangesBefore} the stored cursor holds
   * @param readNow the targets this cycle read by their own path, when what was read is stored
   */
  private void settle(
      List<ChangeNotices.Notice> received,
      Optional<Instant> storedCovers,
      Optional<Map<TargetName, Instant>> readNow,
      List<String> problems) {
    if (received.isEmpty()) {
      return;
    }
    List<ChangeNotices.Notice> settled = new ArrayList<>();
    for (ChangeNotices.Notice notice : received) {
      boolean coveredByWalk = storedCovers.filter(notice.sentAt()::isBefore).isPresent();
      boolean readSince =
          readNow.isPresent()
              && notice
                  .target()
                  .filter(
                      target ->
                          Optional.ofNullable(readNow.get().get(target))
                              .or(
                                  () ->
                                      Optional.ofNullable(entries.get(target.value()))
                                          .map(Entry::readAt))
                              .filter(readAt -> readAt.isAfter(notice.sentAt()))
                              .isPresent())
                  .isPresent();
      if (coveredByWalk || readSince || notice.notAChange().isPresent()) {
        settled.add(notice);
      }
    }
    if (settled.isEmpty()) {
      return;
    }
    try {
      notices.settle(settled);
    } catch (RuntimeException e) {
      problems.add(
          "parameters: change notices read but not removed from their queue, they come back and"
              + " are read again: "
              + TargetCycle.describe(e));
    }
  }

  /** When the stored model cannot be read: this container's, or a failure if it holds none. */
  private Reading storedUnreadable(RuntimeException e, List<String> problems) {
    if (versions.isEmpty() && entries.isEmpty()) {
      throw new IllegalStateException(
          "the stored parameters cannot be read: " + TargetCycle.describe(e), e);
    }
    problems.add(
        "parameters: the stored parameters cannot be read, this container's are used: "
            + TargetCycle.describe(e));
    return new Reading(values(), Map.of(), problems);
  }

  /**
   * Reads again the shards another container wrote since this one read or wrote them; a container
   * that holds nothing reads every shard, listed in the control item or not. A shard that is not as
   * the control item says is reported, stored again ({@code dirty}) and never silently dropped:
   * this container keeps what it holds of it.
   *
   * @return whether the prefix must be walked again at once: a shard whose targets are unknown
   */
  private boolean refresh(
      ParameterMirror.Control control, List<String> problems, Set<Integer> dirty) {
    Map<Integer, Long> stored = control.versions();
    int shards = mirror.shards();
    List<Integer> stale = new ArrayList<>();
    boolean everyShard = !loadedAll && versions.isEmpty() && entries.isEmpty();
    if (everyShard && (control.cursor().isPresent() || !stored.isEmpty())) {
      for (int shard = 0; shard < shards; shard++) {
        stale.add(shard);
      }
    } else {
      everyShard = false;
      stored.forEach(
          (shard, version) -> {
            if (!version.equals(versions.get(shard))) {
              stale.add(shard);
            }
          });
    }
    Set<Integer> unlisted = new TreeSet<>(versions.keySet());
    unlisted.removeAll(stored.keySet());
    if (!unlisted.isEmpty()) {
      // One line, not one per shard: a control item lost whole unlists all 128.
      problems.add(
          "parameters: the control item no longer lists shards "
              + unlisted
              + " of the stored parameters; this container's entries of them are stored again");
      unlisted.forEach(versions::remove);
      dirty.addAll(unlisted);
    }
    if (stale.isEmpty()) {
      return false;
    }
    Map<Integer, ParameterMirror.Shard> loaded = mirror.load(stale);
    loadedAll |= everyShard;
    boolean rebuild = false;
    for (int shard : stale) {
      ParameterMirror.Shard found = loaded.get(shard);
      Long listed = stored.get(shard);
      boolean held =
          entries.keySet().stream().anyMatch(g -> ParameterMirror.shardOf(g, shards) == shard);
      if (found == null && listed == null) {
        continue; // never written
      }
      if (found == null || found.undecodable().isPresent()) {
        String what =
            found == null
                ? "shard " + shard + " of the stored parameters is listed but not stored"
                : found.undecodable().get();
        // Rebuilt from what this container holds and what a walk finds: a shard left unreadable
        // would make every new container walk again, and one killed before its walk reaches the
        // shard's targets would do so forever.
        versions.remove(shard);
        dirty.add(shard);
        // An undecodable item was written by someone after what this container holds, so it may
        // hold targets this container never saw: the prefix is walked again at once. A shard
        // listed but absent whose entries this container holds is its own write that failed
        // half-way (the version first, then the item): storing them again is enough.
        boolean walkAgain = !held || found != null;
        problems.add(
            "parameters: "
                + what
                + (held ? "; this container's entries of it are kept and stored again" : "")
                + (walkAgain
                    ? "; the walk over the prefix starts again at once to find its targets"
                    : ""));
        rebuild |= walkAgain;
        continue;
      }
      entries.keySet().removeIf(group -> ParameterMirror.shardOf(group, shards) == shard);
      entries.putAll(found.entries());
      if (listed == null) {
        problems.add(
            "parameters: shard "
                + shard
                + " of the stored parameters is not listed in the control item; its entries are"
                + " used and stored again");
        dirty.add(shard);
        continue;
      }
      // The version the shard holds, which may not be the control's (a write that failed): then
      // it is read again next cycle, until a write succeeds.
      versions.put(shard, found.version());
    }
    return rebuild;
  }

  /**
   * The targets whose recorded change is newer than their last read and than the last urgent walk's
   * start (which reads every target), oldest change first.
   */
  private List<TargetName> pending(ParameterChanges.Recorded recorded, Cursor cursor) {
    return recorded.byTarget().entrySet().stream()
        .filter(change -> !change.getValue().isBefore(cursor.coversChangesBefore()))
        .filter(
            change ->
                Optional.ofNullable(entries.get(change.getKey().value()))
                    .map(entry -> !change.getValue().isBefore(entry.readAt()))
                    .orElse(true))
        .sorted(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Whether reading each changed target (those recorded or received, and an estimate of those still
   * queued) costs more pages than half a walk over the prefix.
   */
  private boolean cheaperToWalk(List<TargetName> pending, long unreceivedPages) {
    long pendingPages = unreceivedPages;
    for (TargetName target : pending) {
      Entry entry = entries.get(target.value());
      pendingPages += entry == null ? 1 : pagesFor(entry.values().size());
    }
    long walkPages = pagesFor(entries.values().stream().mapToLong(e -> e.values().size()).sum());
    return pendingPages >= FEWEST_PAGES_FOR_A_WALK && pendingPages * 2 > walkPages;
  }

  private static long pagesFor(long parameters) {
    return Math.max(1, (parameters + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  /** Reads each changed target's path while there is time; the rest wait for the next cycle. */
  private void readChanged(
      List<TargetName> pending,
      Instant until,
      Map<TargetName, String> unread,
      Map<TargetName, Instant> readNow,
      Set<Integer> dirty) {
    for (TargetName target : pending) {
      Instant readAt = clock.instant();
      if (!readAt.isBefore(until)) {
        return;
      }
      Map<String, String> fresh;
      try {
        fresh = pages.readTarget(target);
      } catch (RuntimeException e) {
        unread.put(target, TargetCycle.describe(e));
        continue;
      }
      readNow.put(target, readAt);
      String group = target.value();
      if (fresh.isEmpty()) {
        // Every key is gone: so is the target (a walk would find nothing of it either).
        if (entries.remove(group) == null) {
          continue;
        }
      } else {
        entries.put(group, new Entry(fresh, readAt));
      }
      dirty.add(ParameterMirror.shardOf(group, mirror.shards()));
    }
  }

  /** Walks on over the prefix; returns where it stopped. */
  private Cursor walk(
      Cursor cursor,
      Instant until,
      List<String> problems,
      Set<Integer> dirty,
      Set<String> walked,
      Map<TargetName, Instant> readNow) {
    if (cursor.atStart()) {
      observed.clear();
      seenWalk = cursor.walk();
      seenFromStart = true;
    } else if (seenWalk != cursor.walk() || !leftAt.equals(Optional.of(cursor))) {
      // Pages this container did not read (another container walked them; a dry run stores no
      // cursor): it cannot tell what the walk did not find.
      observed.clear();
      seenWalk = cursor.walk();
      seenFromStart = false;
    }
    int limit = cursor.urgent() ? Integer.MAX_VALUE : steadyPages;
    Map<String, String> carried = new LinkedHashMap<>(cursor.carried());
    // A group carried over from an earlier cycle was first read no later than the walk's start.
    Instant carriedAt = cursor.startedAt();
    for (int read = 0; read < limit && clock.instant().isBefore(until); read++) {
      Instant pageAt = clock.instant();
      ParameterPages.Page page;
      try {
        page = pages.page(cursor.from());
      } catch (ParameterPages.CursorExpired e) {
        cursor = cursor.fromTheStart(pageAt);
        carried.clear();
        observed.clear();
        seenWalk = cursor.walk();
        seenFromStart = true;
        continue;
      } catch (RuntimeException e) {
        problems.add(
            "parameters: the walk over "
                + pages.describe()
                + " stopped, it goes on next cycle: "
                + TargetCycle.describe(e));
        break;
      }
      for (Map.Entry<String, String> parameter : page.values().entrySet()) {
        String group = groupOf(parameter.getKey());
        if (!carried.isEmpty() && !groupOf(carried.keySet().iterator().next()).equals(group)) {
          commit(carried, carriedAt, dirty, walked, readNow);
          carried = new LinkedHashMap<>();
        }
        if (carried.isEmpty()) {
          carriedAt = pageAt;
        }
        carried.put(parameter.getKey(), parameter.getValue());
      }
      if (page.next().isEmpty()) {
        if (!carried.isEmpty()) {
          commit(carried, carriedAt, dirty, walked, readNow);
        }
        forgetUnseen(cursor, dirty);
        return cursor.next(clock.instant());
      }
      cursor = cursor.at(page.next(), carried);
    }
    return cursor;
  }

  /**
   * Adds a run of a group's names that the walk read to what is known of the group, unless a read
   * of the group's own path is newer.
   *
   * <p>Added, not replacing: the pages need not hold a group's names together (AWS documents no
   * order; moto returns creation order, so a key tuned later comes after other targets' keys), and
   * a run replacing the last would keep only the group's last run. Nor does the first run of a walk
   * replace what was known: until the walk has found the other runs, the group would run on part of
   * its configuration (a missing max-tasks is its default, not the value set). Names the whole walk
   * did not find are dropped at its end ({@link #forgetUnseen}).
   */
  private void commit(
      Map<String, String> values,
      Instant readAt,
      Set<Integer> dirty,
      Set<String> walked,
      Map<TargetName, Instant> readNow) {
    String group = groupOf(values.keySet().iterator().next());
    observed.computeIfAbsent(group, g -> new HashSet<>()).addAll(values.keySet());
    walked.add(group);
    // Its own path read this cycle after these names were read is authoritative, also when it
    // found the group deleted (then no entry is left to compare with): names carried from before
    // the delete would otherwise bring it back.
    Instant ownRead = TargetName.isValid(group) ? readNow.get(new TargetName(group)) : null;
    if (ownRead != null && ownRead.isAfter(readAt)) {
      return;
    }
    Entry known = entries.get(group);
    if (known != null && known.readAt().isAfter(readAt)) {
      return;
    }
    Map<String, String> merged = new HashMap<>();
    if (known != null) {
      merged.putAll(known.values());
    }
    merged.putAll(values);
    if (known == null || !known.values().equals(merged)) {
      // The older read time stays: a change recorded after it may concern a name this run did not
      // hold, so it is still read.
      entries.put(group, new Entry(merged, known == null ? readAt : known.readAt()));
      dirty.add(ParameterMirror.shardOf(group, mirror.shards()));
    }
  }

  /**
   * At a walk's end: a group the walk did not find, and that nothing read since the walk began, is
   * gone; so are such a group's names that the walk did not find. Only when this container saw the
   * whole walk; otherwise delete events remove them.
   */
  private void forgetUnseen(Cursor cursor, Set<Integer> dirty) {
    if (!seenFromStart || seenWalk != cursor.walk()) {
      return;
    }
    List<String> stale =
        entries.entrySet().stream()
            .filter(entry -> entry.getValue().readAt().isBefore(cursor.startedAt()))
            .filter(
                entry ->
                    !observed
                        .getOrDefault(entry.getKey(), Set.of())
                        .containsAll(entry.getValue().values().keySet()))
            .map(Map.Entry::getKey)
            .toList();
    for (String group : stale) {
      Entry entry = entries.get(group);
      Map<String, String> found = new HashMap<>(entry.values());
      found.keySet().retainAll(observed.getOrDefault(group, Set.of()));
      if (found.isEmpty()) {
        entries.remove(group);
      } else {
        entries.put(group, new Entry(found, entry.readAt()));
      }
      dirty.add(ParameterMirror.shardOf(group, mirror.shards()));
    }
  }

  /** Records this container's prefix in the stored model before its first write. */
  private void claim() {
    if (!claimed) {
      mirror.claim(pages.describe());
      claimed = true;
    }
  }

  /** Stores the changed shards; false when that failed (reported). */
  private boolean store(Set<Integer> dirty, List<String> problems) {
    int shards = mirror.shards();
    Map<Integer, Map<String, Entry>> changed = new HashMap<>();
    for (int shard : dirty) {
      changed.put(shard, new HashMap<>());
    }
    entries.forEach(
        (group, entry) -> {
          Map<String, Entry> shard = changed.get(ParameterMirror.shardOf(group, shards));
          if (shard != null) {
            shard.put(group, entry);
          }
        });
    try {
      claim();
      versions.putAll(mirror.save(changed));
      return true;
    } catch (RuntimeException e) {
      // This container keeps what it read; the others, and it after a restart, read it again.
      dirty.forEach(versions::remove);
      problems.add(
          "parameters: what was read is not stored, it is read again next cycle: "
              + TargetCycle.describe(e));
      return false;
    }
  }

  /** The target a name belongs to ({@code orders} for {@code orders/max-tasks}), or the name. */
  static String groupOf(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }

  private Map<String, String> values() {
    Map<String, String> all = new HashMap<>();
    entries.values().forEach(entry -> all.putAll(entry.values()));
    return all;
  }

  /** What a dry run must leave as it found: everything this container holds of the walk. */
  private record Memory(
      Map<String, Entry> entries,
      Map<Integer, Long> versions,
      Map<String, Set<String>> observed,
      long seenWalk,
      boolean seenFromStart,
      Optional<Cursor> leftAt,
      boolean loadedAll) {

    Memory(ParameterReadModel model) {
      this(
          new HashMap<>(model.entries),
          new HashMap<>(model.versions),
          copy(model.observed),
          model.seenWalk,
          model.seenFromStart,
          model.leftAt,
          model.loadedAll);
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> observed) {
      Map<String, Set<String>> copy = new HashMap<>();
      observed.forEach((group, names) -> copy.put(group, new HashSet<>(names)));
      return copy;
    }

    void restore(ParameterReadModel model) {
      model.entries.clear();
      model.entries.putAll(entries);
      model.versions.clear();
      model.versions.putAll(versions);
      model.observed.clear();
      model.observed.putAll(copy(observed));
      model.seenWalk = seenWalk;
      model.seenFromStart = seenFromStart;
      model.leftAt = leftAt;
      model.loadedAll = loadedAll;
    }
  }

  @Override
  public Map<String, String> readTarget(TargetName target) {
    return pages.readTarget(target);
  }

  @Override
  public String describe() {
    return pages.describe();
  }
}
