package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cycle's scaling decisions whose events are not sent yet, in the order they were decided. The
 * events only report what was done, so they are sent in the time the cycle can spare ({@link
 * #sendUntil}): between its rounds, and after its idle checks and waits; what that time does not
 * cover is reported as not sent ({@link #notSent}), never waited for. Holds are not announced. The
 * lines are already written, so an event that fails is the cycle's failure (an error naming the
 * target), not in its line.
 */
final class Announcements {

  private final DecisionEvents events;
  private final OperatorLog log;
  private final Clock clock;
  private final List<DecisionRecord> waiting = new ArrayList<>();

  Announcements(DecisionEvents events, OperatorLog log, Clock clock) {
    this.events = Objects.requireNonNull(events, "events");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Keeps the scaling decisions among {@code decided}, after those already waiting. */
  void add(Collection<TargetOutcome> decided) {
    for (TargetOutcome outcome : decided) {
      if (outcome.decision().action() != Action.HOLD) {
        waiting.add(outcome.decision());
      }
    }
  }

  /**
   * Sends the waiting events in order, no call running past {@code by}; returns the failures of
   * those the bus did not take. Those not tried by then wait for the next call.
   */
  List<String> sendUntil(Instant by) {
    if (waiting.isEmpty() || !clock.instant().isBefore(by)) {
      return List.of();
    }
    List<Optional<RuntimeException>> results;
    try {
      results = events.publishAll(List.copyOf(waiting), Duration.between(clock.instant(), by));
    } catch (RuntimeException e) {
      results = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i++) {
        results.add(Optional.of(e));
      }
    }
    List<String> failures = new ArrayList<>();
    int tried = Math.min(results.size(), waiting.size());
    for (int i = 0; i < tried; i++) {
      Optional<RuntimeException> failure = results.get(i);
      if (failure.isPresent()) {
        failures.add(report(waiting.get(i), TargetCycle.describe(failure.get())));
      }
    }
    waiting.subList(0, tried).clear();
    return failures;
  }

  /**
   * Reports each event still waiting as not sent, {@code by} having come, and forgets them: the
   * cycle's time for events is over.
   */
  List<String> notSent(Instant by) {
    List<String> failures = new ArrayList<>();
    for (DecisionRecord decision : waiting) {
      failures.add(
          report(
              decision,
              "no time left for it by "
                  + by
                  + ", the cycle's end for events (the bus slow to take those before it)"));
    }
    waiting.clear();
    return failures;
  }

  private String report(DecisionRecord decision, String why) {
    String message =
        decision.target() + ": " + decision.action() + " done, its event not sent: " + why;
    log.error(message);
    return message;
  }
}
