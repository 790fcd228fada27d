package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A target's recent pauses, for {@code scale-in-after-long-pauses}: how long its queue went without
 * a message between the stored samples that saw one. A pause runs from a sample that saw a message
 * (visible or in flight) to the next sample that did, when a stored sample in between saw none;
 * delayed messages are not work yet and do not count. Two samples that saw messages with none
 * between them are one busy spell however far apart (an idle check that wakes a target and the next
 * invocation's first sample can be over 30 s apart, and a check that sees the queue still idle
 * stores nothing). The newest {@link #KEPT} are kept, oldest first.
 *
 * <p>When at least {@link #LONG_NEEDED} of the last {@link #KEPT} lasted longer than what the
 * target would hold a task through (its scale-to-zero delay, or its stabilization window when that
 * is longer), holding it would have caught no message in most recent pauses, only billed it: {@link
 * #mostlyLongerThan} says so, and the policy then releases a drained queue's tasks at once ({@link
 * ScalingPolicy}). One pause is not a pattern (a burst ending early), nor is one long pause among
 * short ones (docs/decisions.md measures 3:1 losing bursts).
 *
 * <p>Only samples the scaler stores count, so a span in which nothing was stored (the target
 * disabled or in a dry run, the function failing) counts as one pause when a sample before it saw
 * the queue empty, however busy the queue was meanwhile; an approximate count that reads 0 inside a
 * busy spell makes a short pause. A writer whose clock is behind makes a pause longer by its skew
 * (the cycle lease refuses writers more than a few seconds off). Each costs at worst a cold start,
 * or a release withheld, never a message: the release keeps the drained conditions.
 *
 * @param lastBusy the newest stored sample that saw a message, if any
 * @param quietSinceBusy whether a stored sample since {@code lastBusy} saw no message
 * @param recent the newest {@link #KEPT} pauses, oldest first, each positive
 */
public record Pauses(Optional<Instant> lastBusy, boolean quietSinceBusy, List<Duration> recent) {

  public static final Pauses NONE = new Pauses(Optional.empty(), false, List.of());

  /** Pauses remembered: three, so that two long ones out of them make a pattern. */
  public static final int KEPT = 3;

  /** Long pauses among the last {@link #KEPT} that release a drained queue at once. */
  public static final int LONG_NEEDED = 2;

  public Pauses {
    Objects.requireNonNull(lastBusy, "lastBusy");
    Objects.requireNonNull(recent, "recent");
    for (Duration pause : recent) {
      if (pause.isNegative() || pause.isZero()) {
        throw new IllegalArgumentException("a pause must be positive but was " + pause);
      }
    }
    recent = List.copyOf(recent.subList(Math.max(0, recent.size() - KEPT), recent.size()));
  }

  /** Whether {@code read} saw a message that is work: visible or in flight. */
  public static boolean sawMessages(QueueSnapshot read) {
    return read.visible() > 0 || read.inFlight() > 0;
  }

  /**
   * These pauses after a stored sample at {@code now} that read {@code read}: one that saw no
   * message after one that did marks the queue quiet; one that saw messages ends the pause since
   * the last that did, when the queue was seen quiet in between, and becomes the last (unless a
   * later one is recorded).
   */
  public Pauses after(Instant now, QueueSnapshot read) {
    Objects.requireNonNull(now, "now");
    if (!sawMessages(read)) {
      return lastBusy.isEmpty() || quietSinceBusy ? this : new Pauses(lastBusy, true, recent);
    }
    List<Duration> pauses = new ArrayList<>(recent);
    if (quietSinceBusy) {
      lastBusy
          .map(last -> Duration.between(last, now))
          .filter(pause -> !pause.isNegative() && !pause.isZero())
          .ifPresent(pauses::add);
    }
    // A clock behind the last writer's makes no pause and keeps the later time: pauses come out
    // shorter, never longer, than they were.
    Instant newest = lastBusy.filter(last -> last.isAfter(now)).orElse(now);
    return new Pauses(Optional.of(newest), false, pauses);
  }

  /**
   * Whether at least {@link #LONG_NEEDED} of the last {@link #KEPT} pauses lasted longer than
   * {@code held} (what the target holds a task through); fewer than {@link #KEPT} known: no.
   */
  public boolean mostlyLongerThan(Duration held) {
    return recent.size() == KEPT
        && recent.stream().filter(pause -> pause.compareTo(held) > 0).count() >= LONG_NEEDED;
  }
}
