package dev.queuescaler.scaler.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A target's recent pauses, for {@code scale-in-after-long-pauses}: how long its queue was seen
 * without work. A pause runs from the first stored sample that saw no message (none visible or in
 * flight; delayed ones are not work yet) to the next stored sample that saw one. Samples that saw
 * messages with none empty between them are one busy spell however far apart (an idle check that
 * wakes a target and the next invocation's first sample can be over 30 s apart, and a check that
 * sees the queue still idle stores nothing). A pause is measured within a sampling gap either way:
 * it starts at the first empty read, up to a sample after the work ended, and ends at the first
 * read that sees work, up to a sampling gap after it came (for an idle target the next idle check,
 * or the next invocation: up to a minute). A gap under {@link #SHORTEST} is no pause: samples are
 * at least 5 s apart, so it is a clock's artefact (a fast writer's time read as just before now).
 * The newest {@link #KEPT} are kept, oldest first.
 *
 * <p>When at least {@link #LONG_NEEDED} of the last {@link #KEPT} lasted longer than what the
 * target would hold a task through (its scale-to-zero delay, or its stabilization window when that
 * is longer), holding it would have caught no message in most recent pauses, only billed it: {@link
 * #mostlyLongerThan} says so, and the policy then releases a drained queue's tasks at once ({@link
 * ScalingPolicy}). One pause is not a pattern (a burst ending early), nor is one long pause among
 * short ones (docs/decisions.md measures 3:1 losing bursts).
 *
 * <p>What the samples do not see they cannot measure: a message a warm task takes and finishes
 * between two samples leaves no trace, so for work of a few seconds a message the pauses come out
 * longer than they were, and releasing on them costs cold starts (docs/operating.md). A span in
 * which nothing was stored (the target disabled or in a dry run, the function failing) counts as
 * one pause when the sample before it saw the queue empty. A writer whose clock is behind makes a
 * pause longer by its skew (the cycle lease refuses writers more than a few seconds off). None of
 * these loses a message: the release keeps the drained conditions.
 *
 * @param quietSince the first stored sample of the current quiet spell, empty while the queue is
 *     busy (or before any sample)
 * @param recent the newest {@link #KEPT} pauses, oldest first, each positive
 */
public record Pauses(Optional<Instant> quietSince, List<Duration> recent) {

  public static final Pauses NONE = new Pauses(Optional.empty(), List.of());

  /** Pauses remembered: three, so that two long ones out of them make a pattern. */
  public static final int KEPT = 3;

  /** Long pauses among the last {@link #KEPT} that release a drained queue at once. */
  public static final int LONG_NEEDED = 2;

  /** The shortest gap that is a pause: less than the shortest sample interval (5 s). */
  static final Duration SHORTEST = Duration.ofSeconds(1);

  public Pauses {
    Objects.requireNonNull(quietSince, "quietSince");
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
   * These pauses after a stored sample at {@code now} that read {@code read}: the first that saw no
   * message starts a quiet spell, the first that saw one after it ends the spell as a pause; any
   * other sample changes nothing (the same object), so a target whose reads do not change side
   * writes nothing more for its pauses: two writes a pause.
   */
  public Pauses after(Instant now, QueueSnapshot read) {
    Objects.requireNonNull(now, "now");
    boolean busy = sawMessages(read);
    if (!busy) {
      return quietSince.isPresent() ? this : new Pauses(Optional.of(now), recent);
    }
    if (quietSince.isEmpty()) {
      return this;
    }
    List<Duration> pauses = new ArrayList<>(recent);
    // A clock behind the writer of quietSince makes no pause, nor does its time read as now.
    Duration pause = Duration.between(quietSince.get(), now);
    if (pause.compareTo(SHORTEST) >= 0) {
      pauses.add(pause);
    }
    return new Pauses(Optional.empty(), pauses);
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
