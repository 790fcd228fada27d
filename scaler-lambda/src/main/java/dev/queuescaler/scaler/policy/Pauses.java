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
 * (visible or in flight) to the next sample that did, when they are more than two sample intervals
 * apart, and at least {@link #SHORTEST} (the samples of one busy spell are one interval apart, a
 * little more when an invocation starts late); delayed messages are not work yet and do not count.
 * The newest {@link #KEPT} are kept, oldest first.
 *
 * <p>When at least {@link #LONG_NEEDED} of the last {@link #KEPT} lasted longer than the target's
 * scale-to-zero delay, holding its last task for that delay would have caught no message in most
 * recent pauses, only billed it: {@link #mostlyLongerThan} says so, and the policy then releases a
 * drained queue's tasks at once ({@link ScalingPolicy}). One pause is not a pattern (a burst ending
 * early), nor is one long pause among short ones (docs/decisions.md measures 3:1 losing bursts).
 *
 * <p>Only samples the scaler stores count: an idle check that finds the queue still idle stores
 * nothing, so a message below {@code activation-backlog} that a check saw and that was gone by the
 * next decision is not seen; and a span in which nothing was stored (the target disabled or in a
 * dry run, the function failing) counts as one pause however busy the queue was. A writer whose
 * clock is behind makes a pause longer by its skew (the cycle lease refuses writers more than a few
 * seconds off). Either costs at worst a cold start, never a message: the release keeps the drained
 * conditions.
 *
 * @param lastBusy the newest stored sample that saw a message, if any
 * @param recent the newest {@link #KEPT} pauses, oldest first, each longer than {@link #SHORTEST}
 */
public record Pauses(Optional<Instant> lastBusy, List<Duration> recent) {

  public static final Pauses NONE = new Pauses(Optional.empty(), List.of());

  /** Pauses remembered: three, so that two long ones out of them make a pattern. */
  public static final int KEPT = 3;

  /** Long pauses among the last {@link #KEPT} that release a drained queue at once. */
  public static final int LONG_NEEDED = 2;

  /**
   * The shortest gap between two samples that saw messages that counts as a pause, at the shortest
   * sample intervals: twice the default interval. Longer intervals take twice theirs ({@link
   * #after}).
   */
  public static final Duration SHORTEST = Duration.ofSeconds(30);

  public Pauses {
    Objects.requireNonNull(lastBusy, "lastBusy");
    Objects.requireNonNull(recent, "recent");
    for (Duration pause : recent) {
      if (pause.compareTo(SHORTEST) <= 0) {
        throw new IllegalArgumentException(
            "a pause must be longer than " + SHORTEST.toSeconds() + " s but was " + pause);
      }
    }
    recent = List.copyOf(recent.subList(Math.max(0, recent.size() - KEPT), recent.size()));
  }

  /** Whether {@code read} saw a message that is work: visible or in flight. */
  public static boolean sawMessages(QueueSnapshot read) {
    return read.visible() > 0 || read.inFlight() > 0;
  }

  /**
   * These pauses after a stored sample at {@code now} that read {@code read}, of a target sampled
   * every {@code sampleInterval} while active: a sample that saw messages ends the pause since the
   * last that did (when longer than twice the interval, and than {@link #SHORTEST}) and becomes the
   * last (unless a later one is recorded); one that saw none changes nothing.
   */
  public Pauses after(Instant now, QueueSnapshot read, Duration sampleInterval) {
    Objects.requireNonNull(now, "now");
    if (!sawMessages(read)) {
      return this;
    }
    Duration shortest = sampleInterval.multipliedBy(2);
    Duration atLeast = shortest.compareTo(SHORTEST) > 0 ? shortest : SHORTEST;
    List<Duration> pauses = new ArrayList<>(recent);
    lastBusy
        .map(last -> Duration.between(last, now))
        .filter(pause -> pause.compareTo(atLeast) > 0)
        .ifPresent(pauses::add);
    // A clock behind the last writer's makes no pause and keeps the later time: pauses come out
    // shorter, never longer, than they were.
    Instant newest = lastBusy.filter(last -> last.isAfter(now)).orElse(now);
    return new Pauses(Optional.of(newest), pauses);
  }

  /**
   * Whether at least {@link #LONG_NEEDED} of the last {@link #KEPT} pauses lasted longer than
   * {@code delay} (the target's scale-to-zero delay); fewer than {@link #KEPT} pauses known: no.
   */
  public boolean mostlyLongerThan(Duration delay) {
    return recent.size() == KEPT
        && recent.stream().filter(pause -> pause.compareTo(delay) > 0).count() >= LONG_NEEDED;
  }
}
