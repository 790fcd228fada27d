package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.BacklogRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The idle targets a scheduled invocation leaves to be read at {@code offset} after its start, when
 * it ends before then: a short invocation reads their queues at that time, and decides only those
 * whose queue is no longer empty.
 *
 * @param invoked when the scheduled invocation started
 * @param offset when the check is due after {@code invoked}: more than zero, less than a minute
 * @param targets the targets to read, each with the queue it had then; at least one
 */
public record IdleCheck(Instant invoked, Duration offset, List<Target> targets) {

  /**
   * One target of a check, with the queue to read and what of it counts (its count-in-flight,
   * count-delayed and activation-backlog): the check judges the read as the target's decision
   * would, without reading its parameters.
   */
  public record Target(TargetName name, String queueUrl, BacklogRules rules) {
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(queueUrl, "queueUrl");
      Objects.requireNonNull(rules, "rules");
      if (queueUrl.isBlank()) {
        throw new IllegalArgumentException("the queue URL of " + name + " is blank");
      }
    }
  }

  public IdleCheck {
    Objects.requireNonNull(invoked, "invoked");
    Objects.requireNonNull(offset, "offset");
    if (offset.isNegative() || offset.isZero() || offset.compareTo(Duration.ofMinutes(1)) >= 0) {
      throw new IllegalArgumentException(
          "an idle check is due 1-59 s after its invocation but was " + offset.toMillis() + " ms");
    }
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("an idle check names at least one target");
    }
  }

  /** When the check is due. */
  public Instant due() {
    return invoked.plus(offset);
  }
}
