package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one owner of every message this worker holds, from receive to delete or release. Each message
 * is in exactly one state; every transition is a method here, so "who removes an entry, and when"
 * is written once:
 *
 * <pre>
 *   hold ─▶ RUNNING ─succeeded─▶ FINISHED ─takeFinished─▶ DELETING ─settled─▶ (gone)
 *                                    ▲                         │
 *                                    └──────deleteAgain────────┘ (its delete call failed whole)
 *              │  └─failed──────────────────────────────────────────────────▶ (gone, SQS retries)
 *              ├─lost (heartbeat refused) ─▶ LOST ─succeeded/failed─────────▶ (gone, not ours)
 *              ├─expired (visibility ran out) ─▶ LOST
 *              ├─overdue (held past the bound) ─▶ TIMED_OUT ─succeeded/failed─▶ (gone, given back)
 *              └─claimUnfinished (shutdown) ─────────────────────────────────▶ (gone, given back)
 *   FINISHED ─lost (heartbeat refused) ──────────────────────────────────────▶ (gone, not ours)
 * </pre>
 *
 * <p>Only RUNNING, FINISHED and DELETING messages make the task {@link #busy()}: a LOST or
 * TIMED_OUT one is no longer this task's to finish, even while its handler thread still runs.
 *
 * <p>A message that is gone is not ours: a late outcome for it changes nothing and says so. Pure
 * bookkeeping, no I/O: the SQS calls are the callers'. Thread-safe (one lock; every method is
 * short).
 *
 * @param <T> what a finished message carries to its delete (its trace)
 */
final class MessageLedger<T> {

  /** Where a message is in its life. */
  enum State {
    /** Received; its work has not finished. Heartbeats keep it invisible. */
    RUNNING,
    /** Its work succeeded; waiting for the next delete batch. Still heartbeated. */
    FINISHED,
    /** In a delete call now. */
    DELETING,
    /**
     * SQS refused a heartbeat for it, or its visibility ran out (heartbeat calls failed, or SQS's
     * 12 hours for one receipt were used up): another consumer may have it. Not heartbeated again,
     * not deleted.
     */
    LOST,
    /**
     * Held longer than the processing bound: given back to SQS, not heartbeated, not deleted. It
     * stays here only until its handler returns, to count the threads that are stuck.
     */
    TIMED_OUT
  }

  /** What became of an outcome reported for a message. */
  enum Settlement {
    /** The outcome was recorded. */
    RECORDED,
    /** The message had been lost to a failed heartbeat: it is not ours to delete. */
    WAS_LOST,
    /** The message had already been given back (shutdown deadline): it will run again. */
    WAS_RELEASED,
    /** The message had been given back for taking longer than the bound: it will run again. */
    WAS_TIMED_OUT
  }

  /** A message to delete, with what it carries. */
  record Finished<T>(String receiptHandle, String messageId, T attachment) {}

  /**
   * A message held past the processing bound, and for how long; {@code lost} when its visibility
   * had run out already (SQS may have it elsewhere): its handler is stuck all the same, but there
   * is nothing to give back.
   */
  record Overdue(String receiptHandle, String messageId, Duration heldFor, boolean lost) {}

  private static final class Entry<T> {
    final String messageId;
    final Instant receivedAt;
    State state = State.RUNNING;
    Instant extendedAt;
    // How long SQS granted at extendedAt: the queue's visibility timeout, or less near SQS's
    // 12-hour limit on a receipt (VisibilityHeartbeat). Empty until the first extension: the
    // receive's own visibility timeout.
    Optional<Duration> granted = Optional.empty();
    // Whether its handler has returned (a LOST entry may be a finished one whose delete was under
    // way): only a handler still running can be stuck.
    boolean handlerReturned;
    T attachment;
    Instant firstDeleteFailure;

    Entry(String messageId, Instant receivedAt) {
      this.messageId = messageId;
      this.receivedAt = receivedAt;
      this.extendedAt = receivedAt;
    }
  }

  // Insertion order: the oldest finished messages are deleted first.
  private final Map<String, Entry<T>> entries = new LinkedHashMap<>();

  /** Takes ownership of a received message. */
  synchronized void hold(String receiptHandle, String messageId, Instant receivedAt) {
    Objects.requireNonNull(receiptHandle, "receiptHandle");
    entries.put(receiptHandle, new Entry<>(messageId, receivedAt));
  }

  /** Its work succeeded: queue it for deletion. */
  synchronized Settlement succeeded(String receiptHandle, T attachment) {
    Entry<T> entry = entries.get(receiptHandle);
    if (entry == null) {
      return Settlement.WAS_RELEASED;
    }
    if (entry.state == State.LOST || entry.state == State.TIMED_OUT) {
      entries.remove(receiptHandle);
      return notOurs(entry);
    }
    entry.state = State.FINISHED;
    entry.handlerReturned = true;
    entry.attachment = attachment;
    notifyAll();
    return Settlement.RECORDED;
  }

  /**
   * Its work failed (or crashed): forget it, so that heartbeats stop and SQS makes it visible again
   * after the visibility timeout, and dead-letters it after maxReceiveCount.
   */
  synchronized Settlement failed(String receiptHandle) {
    Entry<T> entry = entries.remove(receiptHandle);
    if (entry == null) {
      return Settlement.WAS_RELEASED;
    }
    return entry.state == State.LOST || entry.state == State.TIMED_OUT
        ? notOurs(entry)
        : Settlement.RECORDED;
  }

  private static Settlement notOurs(Entry<?> entry) {
    return entry.state == State.LOST ? Settlement.WAS_LOST : Settlement.WAS_TIMED_OUT;
  }

  /** Waits up to {@code timeout} until some message is finished; returns how many are. */
  synchronized int awaitFinished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int finished;
    while ((finished = count(State.FINISHED)) == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return finished;
  }

  /** Up to {@code max} finished messages, oldest first, now being deleted. */
  synchronized List<Finished<T>> takeFinished(int max) {
    List<Finished<T>> taken = new ArrayList<>();
    for (Map.Entry<String, Entry<T>> e : entries.entrySet()) {
      if (taken.size() == max) {
        break;
      }
      if (e.getValue().state == State.FINISHED) {
        e.getValue().state = State.DELETING;
        taken.add(new Finished<>(e.getKey(), e.getValue().messageId, e.getValue().attachment));
      }
    }
    return taken;
  }

  /**
   * A delete call that failed whole (no answer for this message) at {@code now} sends it back to
   * FINISHED to be deleted in a later call, while less than {@code retryFor} has passed since its
   * first failed call: it is still heartbeated, so it stays ours meanwhile. Returns false (and
   * changes nothing) once that time is spent.
   */
  synchronized boolean deleteAgain(String receiptHandle, Instant now, Duration retryFor) {
    Entry<T> entry = entries.get(receiptHandle);
    if (entry == null || entry.state != State.DELETING) {
      return false;
    }
    if (entry.firstDeleteFailure == null) {
      entry.firstDeleteFailure = now;
    }
    if (!now.isBefore(entry.firstDeleteFailure.plus(retryFor))) {
      return false;
    }
    entry.state = State.FINISHED;
    notifyAll();
    return true;
  }

  /**
   * A delete call answered for this message, deleted or not: either way it leaves the ledger (a
   * message processed but not deleted comes back: at-least-once).
   */
  synchronized void settled(String receiptHandle) {
    entries.remove(receiptHandle);
  }

  /** When this message was received, if it is held. */
  synchronized Optional<Instant> receivedAt(String receiptHandle) {
    return Optional.ofNullable(entries.get(receiptHandle)).map(entry -> entry.receivedAt);
  }

  /**
   * Messages whose visibility was last extended more than {@code every} before {@code now}, soonest
   * to run out first (at the last extension plus what SQS granted then, or {@code visibility} after
   * the receive): should a beat ever have more calls than threads (QueueWorker gives it a thread
   * for each call its held messages can make; a test may make them one after another), the calls
   * made first are for the messages that can least wait.
   */
  synchronized List<String> dueForHeartbeat(Instant now, Duration every, Duration visibility) {
    Map<String, Instant> runsOut = new LinkedHashMap<>();
    entries.forEach(
        (handle, entry) -> {
          if (entry.state != State.LOST
              && entry.state != State.TIMED_OUT
              && entry.extendedAt.plus(every).isBefore(now)) {
            runsOut.put(handle, entry.extendedAt.plus(entry.granted.orElse(visibility)));
          }
        });
    List<String> due = new ArrayList<>(runsOut.keySet());
    // Stable: messages that run out at the same moment stay in the order they were received.
    due.sort(Comparator.comparing(runsOut::get));
    return due;
  }

  /**
   * Running messages whose visibility has run out by {@code now} (last extended, or received, at
   * least {@code visibility} ago, or what SQS granted at the last extension if that was less:
   * heartbeat calls failed all that time, or SQS's 12-hour limit left no more) become LOST: SQS may
   * already have delivered them to another consumer. Returns their message ids. Finished ones are
   * left to their delete: their work is done, so deleting them is right whoever holds them now.
   */
  synchronized List<String> expire(Instant now, Duration visibility) {
    List<String> expired = new ArrayList<>();
    entries
        .values()
        .forEach(
            entry -> {
              Duration lasts = entry.granted.orElse(visibility);
              if (entry.state == State.RUNNING && !entry.extendedAt.plus(lasts).isAfter(now)) {
                entry.state = State.LOST;
                expired.add(entry.messageId);
              }
            });
    return expired;
  }

  /**
   * Messages whose work still runs after {@code bound} become TIMED_OUT: no longer heartbeated, to
   * be given back, no longer keeping the task busy, and counted as stuck. A LOST one whose handler
   * still runs counts too (a bound near SQS's 12 hours lets its visibility run out first): its
   * thread is as stuck. Returns them.
   */
  synchronized List<Overdue> overdue(Instant now, Duration bound) {
    List<Overdue> overdue = new ArrayList<>();
    entries.forEach(
        (handle, entry) -> {
          boolean working =
              entry.state == State.RUNNING || (entry.state == State.LOST && !entry.handlerReturned);
          if (working && !entry.receivedAt.plus(bound).isAfter(now)) {
            boolean lost = entry.state == State.LOST;
            entry.state = State.TIMED_OUT;
            overdue.add(
                new Overdue(
                    handle, entry.messageId, Duration.between(entry.receivedAt, now), lost));
          }
        });
    return overdue;
  }

  /** SQS extended these messages' visibility at {@code now} by {@code granted}. */
  synchronized void extended(List<String> receiptHandles, Instant now, Duration granted) {
    for (String handle : receiptHandles) {
      Entry<T> entry = entries.get(handle);
      if (entry != null) {
        entry.extendedAt = now;
        entry.granted = Optional.of(granted);
      }
    }
  }

  /**
   * SQS refused to extend this message: it is no longer ours. Its work may go on, but it is neither
   * heartbeated nor deleted. A finished one leaves at once: its outcome was reported already, so
   * nothing else would remove it. Returns its message id, if it was held.
   */
  synchronized Optional<String> lost(String receiptHandle) {
    Entry<T> entry = entries.get(receiptHandle);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.state == State.FINISHED) {
      entries.remove(receiptHandle);
    } else {
      entry.state = State.LOST;
    }
    return Optional.of(entry.messageId);
  }

  /**
   * At shutdown, once the heartbeats have ended: every message whose work has not finished leaves
   * the ledger, and the ones still ours are returned to be given back (timed-out ones were given
   * back already). Finished ones stay, to be deleted; work that finishes after this finds its
   * message gone.
   */
  synchronized List<String> claimUnfinished() {
    List<String> claimed = new ArrayList<>();
    var iterator = entries.entrySet().iterator();
    while (iterator.hasNext()) {
      Map.Entry<String, Entry<T>> e = iterator.next();
      State state = e.getValue().state;
      if (state == State.RUNNING || state == State.LOST || state == State.TIMED_OUT) {
        iterator.remove();
        if (state == State.RUNNING) {
          claimed.add(e.getKey());
        }
      }
    }
    return claimed;
  }

  /** Gives up these messages, received but never started (a stop began): returns the ones held. */
  synchronized List<String> claim(List<String> receiptHandles) {
    List<String> claimed = new ArrayList<>();
    for (String handle : receiptHandles) {
      Entry<T> entry = entries.get(handle);
      if (entry != null && entry.state == State.RUNNING) {
        entries.remove(handle);
        claimed.add(handle);
      }
    }
    return claimed;
  }

  /** The message ids of the messages in {@code state}. */
  synchronized List<String> idsIn(State state) {
    return entries.values().stream().filter(e -> e.state == state).map(e -> e.messageId).toList();
  }

  /** How many messages are in {@code state}. */
  synchronized int count(State state) {
    return (int) entries.values().stream().filter(e -> e.state == state).count();
  }

  /** How many finished messages wait for their delete (or are in a delete call): still held. */
  synchronized int awaitingDelete() {
    return (int)
        entries.values().stream()
            .filter(e -> e.state == State.FINISHED || e.state == State.DELETING)
            .count();
  }

  /**
   * Whether any message is this task's to finish (running, finished, being deleted): the task must
   * not be scaled in now. Lost and timed-out messages do not count, even while their handler runs.
   */
  synchronized boolean busy() {
    return entries.values().stream()
        .anyMatch(e -> e.state != State.LOST && e.state != State.TIMED_OUT);
  }
}
