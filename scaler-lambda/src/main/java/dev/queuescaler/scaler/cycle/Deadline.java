package dev.queuescaler.scaler.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When the invocation must be done: the Lambda's end ({@code Context#getRemainingTimeInMillis}), or
 * none for the CLI and the local run.
 *
 * <p>A step starts only while the time left covers its remaining AWS calls at their worst case
 * (calls x one attempt's timeout) plus a margin: a Lambda killed between the state write and
 * UpdateService would record a scale-out that never happened, and print no decision line.
 */
public record Deadline(Optional<Instant> at) {

  /**
   * Time kept back for writing the decision line, metrics and the response. The spans' flush, which
   * comes after these, is kept back too: the Lambda handler's deadline is the function's end less
   * the flush timeout.
   */
  public static final Duration MARGIN = Duration.ofSeconds(2);

  public static final Deadline NONE = new Deadline(Optional.empty());

  public Deadline {
    Objects.requireNonNull(at, "at");
  }

  public static Deadline at(Instant at) {
    return new Deadline(Optional.of(at));
  }

  /** Whether {@code calls} calls of at most {@code perCall} each, plus the margin, fit by now. */
  public boolean allows(Instant now, int calls, Duration perCall) {
    return at.map(end -> !now.plus(perCall.multipliedBy(calls)).plus(MARGIN).isAfter(end))
        .orElse(true);
  }

  /**
   * This deadline, or the earlier one under which no step of {@code calls} calls of at most {@code
   * perCall} each starts after {@code lastStart}: what such a step starts by then may still take
   * its calls' worst case, so the end is not {@code lastStart} itself.
   */
  public Deadline startingNothingAfter(Instant lastStart, int calls, Duration perCall) {
    Instant end = lastStart.plus(perCall.multipliedBy(calls)).plus(MARGIN);
    return Deadline.at(at.filter(mine -> mine.isBefore(end)).orElse(end));
  }

  /** The time left at {@code now}, for messages. */
  public String describeLeft(Instant now) {
    return at.map(end -> Duration.between(now, end).toMillis() + " ms left").orElse("no deadline");
  }
}
