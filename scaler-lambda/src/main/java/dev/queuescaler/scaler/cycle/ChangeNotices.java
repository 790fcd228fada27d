package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parameter Store's change events for the prefix, waiting in a queue until a cycle has read and
 * stored what they name. A notice leaves the queue only when {@link #settle settled}; one received
 * and not settled comes back after the time it was hidden for, so a failed read loses nothing.
 */
public interface ChangeNotices {

  /** ReceiveMessage's largest batch. */
  int MOST_PER_RECEIVE = 10;

  /**
   * One change event as received.
   *
   * @param receipt what {@link #settle} needs to remove it (SQS's receipt handle)
   * @param target the target whose parameter changed; empty when the event names none under the
   *     prefix (or cannot be read), which a walk over the whole prefix answers
   * @param sentAt when the event reached the queue, after the change it tells of: a read that began
   *     later sees the change
   * @param notAChange why the message tells of no change under the prefix (not JSON, another event,
   *     a parameter under another prefix), naming the message: it is reported and removed, and no
   *     walk is made for it
   */
  record Notice(
      String receipt, Optional<TargetName> target, Instant sentAt, Optional<String> notAChange) {
    public Notice {
      Objects.requireNonNull(receipt, "receipt");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(sentAt, "sentAt");
      Objects.requireNonNull(notAChange, "notAChange");
      if (notAChange.isPresent() && target.isPresent()) {
        throw new IllegalArgumentException("a message that is no change names no target");
      }
    }

    /** A change event for the prefix: of {@code target}, or (empty) of something a walk finds. */
    public Notice(String receipt, Optional<TargetName> target, Instant sentAt) {
      this(receipt, target, sentAt, Optional.empty());
    }
  }

  /**
   * Up to {@code max} (1 to {@value #MOST_PER_RECEIVE}) notices, hidden from other receivers for
   * {@code hiddenFor}; empty when none waits (a short poll may also answer empty while a few wait:
   * they come with the next cycle).
   *
   * @throws RuntimeException when the queue cannot be read
   */
  List<Notice> receive(int max, Duration hiddenFor);

  /**
   * About how many notices wait, not counting those received and not yet settled.
   *
   * @throws RuntimeException when the queue cannot be read
   */
  long waiting();

  /**
   * Removes these notices for good: what they tell of is read and stored.
   *
   * @throws RuntimeException when some could not be removed (they come back, and are settled again)
   */
  void settle(List<Notice> notices);

  /** No queue: a stack whose change events invoke the function directly, the CLI, a local run. */
  ChangeNotices NONE =
      new ChangeNotices() {
        @Override
        public List<Notice> receive(int max, Duration hiddenFor) {
          return List.of();
        }

        @Override
        public long waiting() {
          return 0;
        }

        @Override
        public void settle(List<Notice> notices) {}
      };
}
