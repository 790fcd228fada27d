package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every target's parameters as the scaler last read them from the prefix, kept where every
 * container of the function finds them: a new container starts from it instead of reading the whole
 * prefix. Entries are spread over a fixed number of shards (a target's shard is a hash of its
 * name), so no stored item grows with the fleet past a known size; a small control item holds the
 * walk over the prefix (the {@link Cursor}) and each shard's version, so that a container reads
 * again only the shards another one wrote.
 */
public interface ParameterMirror {

  /**
   * Shards when the caller does not say: at 10,000 targets with all 24 keys the largest is 72 KB
   * (ParameterMirrorIT), under a fifth of DynamoDB's item limit, and a change rewrites that much.
   */
  int DEFAULT_SHARDS = 128;

  /**
   * One group of parameters: a target's (the names under {@code <target>/}), or a name that belongs
   * to no target (kept so that its warning is still given).
   *
   * @param values by name relative to the prefix ({@code orders/max-tasks})
   * @param readAt when the read that found them started: a change recorded later is read again.
   *     When a walk found them in several runs, the first run's (or the entry's, if older): a
   *     change recorded after it may concern a name a later run did not hold
   */
  record Entry(Map<String, String> values, Instant readAt) {
    public Entry {
      values = Map.copyOf(Objects.requireNonNull(values, "values"));
      Objects.requireNonNull(readAt, "readAt");
    }
  }

  /**
   * Where the walk over the prefix is. A walk reads the prefix page by page, a slice per
   * invocation; at its end, what it did not find is gone, and the next walk starts.
   *
   * @param walk the walk's number, counted from 1
   * @param startedAt when this walk began
   * @param urgent whether the walk was started to catch up (no walk done yet, a change naming no
   *     target, or more changes than a walk costs): it reads as much as the invocation allows,
   *     instead of a few pages
   * @param coversChangesBefore changes recorded before this time are read by the walks, not one by
   *     one: the time the last urgent walk began
   * @param from where the next page starts; empty at the walk's start
   * @param carried the group whose names the last page ended in: it may go on in the next page, so
   *     it is kept until the group ends
   */
  record Cursor(
      long walk,
      Instant startedAt,
      boolean urgent,
      Instant coversChangesBefore,
      Optional<String> from,
      Map<String, String> carried) {
    public Cursor {
      if (walk < 1) {
        throw new IllegalArgumentException("walk must be >= 1 but was " + walk);
      }
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(coversChangesBefore, "coversChangesBefore");
      Objects.requireNonNull(from, "from");
      carried = Map.copyOf(Objects.requireNonNull(carried, "carried"));
    }

    /** The first walk: nothing is known yet, so it reads as fast as it may. */
    public static Cursor first(Instant now) {
      return new Cursor(1, now, true, now, Optional.empty(), Map.of());
    }

    /** A walk from the start that reads as fast as it may and covers every change before now. */
    public Cursor restartedUrgently(Instant now) {
      return new Cursor(walk + 1, now, true, now, Optional.empty(), Map.of());
    }

    /** The next walk after this one ended: a few pages an invocation. */
    public Cursor next(Instant now) {
      return new Cursor(walk + 1, now, false, coversChangesBefore, Optional.empty(), Map.of());
    }

    /** This walk, from the start again (its place was no longer accepted). */
    public Cursor fromTheStart(Instant now) {
      return new Cursor(walk + 1, now, urgent, coversChangesBefore, Optional.empty(), Map.of());
    }

    /** This walk, on at {@code from} with {@code carried}. */
    public Cursor at(Optional<String> from, Map<String, String> carried) {
      return new Cursor(walk, startedAt, urgent, coversChangesBefore, from, carried);
    }

    /** Whether no page of this walk has been read. */
    public boolean atStart() {
      return from.isEmpty() && carried.isEmpty();
    }
  }

  /**
   * A shard as stored: its entries by group, and the version its writer gave it; or a stored item
   * that cannot be decoded (written by hand, by another version, cut short), with why.
   *
   * @param undecodable why the item cannot be decoded; then it has no entries and version 0
   */
  record Shard(long version, Map<String, Entry> entries, Optional<String> undecodable) {
    public Shard {
      entries = Map.copyOf(Objects.requireNonNull(entries, "entries"));
      Objects.requireNonNull(undecodable, "undecodable");
      if (undecodable.isPresent() && (!entries.isEmpty() || version != 0)) {
        throw new IllegalArgumentException("an undecodable shard has no entries and no version");
      }
    }

    public Shard(long version, Map<String, Entry> entries) {
      this(version, entries, Optional.empty());
    }

    /** A stored item that is not a shard this code can read. */
    public static Shard undecodable(String why) {
      return new Shard(0, Map.of(), Optional.of(why));
    }
  }

  /**
   * The control item.
   *
   * @param prefix the prefix whose parameters the mirror holds ({@link #claim}); empty before the
   *     first write, or when written by a version that did not record it
   * @param cursor where the walk is; empty before the first
   * @param versions each written shard's latest version: a container that holds another version
   *     reads the shard again
   */
  record Control(Optional<String> prefix, Optional<Cursor> cursor, Map<Integer, Long> versions) {
    public static final Control NONE = new Control(Optional.empty(), Optional.empty(), Map.of());

    public Control {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(cursor, "cursor");
      versions = Map.copyOf(Objects.requireNonNull(versions, "versions"));
    }

    public Control(Optional<Cursor> cursor, Map<Integer, Long> versions) {
      this(Optional.empty(), cursor, versions);
    }
  }

  /** How many shards the entries are spread over. */
  int shards();

  /**
   * The shard a group's entry is kept in: a hash of its name ({@link String#hashCode} is the same
   * in every JVM), mixed so that names that differ in a digit spread evenly.
   */
  static int shardOf(String group, int shards) {
    int hash = group.hashCode();
    // MurmurHash3's finalizer.
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return Integer.remainderUnsigned(hash, shards);
  }

  /**
   * The control item as stored.
   *
   * @throws RuntimeException when it cannot be read
   */
  Control control();

  /**
   * Records that the mirror holds {@code prefix}'s parameters, unless it already holds another
   * prefix's: the state table may be shared by mistake (the CLI beside the function with another
   * {@code SCALER_PARAMETER_PATH}), and one prefix's walk would forget every target of the other.
   *
   * @throws IllegalStateException when the mirror holds another prefix's parameters
   * @throws RuntimeException when it cannot be written
   */
  void claim(String prefix);

  /**
   * The stored shards among {@code shards}; a shard never written is absent, one that cannot be
   * decoded is {@link Shard#undecodable}.
   *
   * @throws RuntimeException when they cannot be read
   */
  Map<Integer, Shard> load(Collection<Integer> shards);

  /**
   * Replaces these shards' entries. Each gets a new version, recorded in the control item before
   * the shard is written, so that a write that fails half-way makes readers read the shard again
   * rather than miss it.
   *
   * @return the version each shard was written with
   * @throws RuntimeException when they cannot be written (some may have been)
   */
  Map<Integer, Long> save(Map<Integer, Map<String, Entry>> shards);

  /**
   * Stores where the walk is, after the shards it filled are saved.
   *
   * @throws RuntimeException when it cannot be written
   */
  void advance(Cursor cursor);

  /** A mirror held by this object alone: one container, a local run, tests. */
  static ParameterMirror inMemory(int shards) {
    return new ParameterMirror() {
      private Optional<String> prefix = Optional.empty();
      private Optional<Cursor> cursor = Optional.empty();
      private final Map<Integer, Long> versions = new HashMap<>();
      private final Map<Integer, Shard> stored = new HashMap<>();

      @Override
      public int shards() {
        return shards;
      }

      @Override
      public synchronized Control control() {
        return new Control(prefix, cursor, versions);
      }

      @Override
      public synchronized void claim(String mine) {
        if (prefix.isPresent() && !prefix.get().equals(mine)) {
          throw new IllegalStateException("the mirror holds " + prefix.get() + ", not " + mine);
        }
        prefix = Optional.of(mine);
      }

      @Override
      public synchronized Map<Integer, Shard> load(Collection<Integer> wanted) {
        Map<Integer, Shard> found = new HashMap<>();
        for (int shard : wanted) {
          if (stored.containsKey(shard)) {
            found.put(shard, stored.get(shard));
          }
        }
        return found;
      }

      @Override
      public synchronized Map<Integer, Long> save(Map<Integer, Map<String, Entry>> shards) {
        Map<Integer, Long> written = new HashMap<>();
        shards.forEach(
            (shard, entries) -> {
              long version = ThreadLocalRandom.current().nextLong();
              versions.put(shard, version);
              stored.put(shard, new Shard(version, entries));
              written.put(shard, version);
            });
        return written;
      }

      @Override
      public synchronized void advance(Cursor next) {
        cursor = Optional.of(next);
      }
    };
  }
}
