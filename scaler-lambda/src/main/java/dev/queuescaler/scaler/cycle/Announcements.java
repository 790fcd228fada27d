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
 * cover is reported as not sent ({@link #notSent}), never waited for; so are those still waiting
 * when the cycle is interrupted ({@link #interrupted}). Holds are not announced. The lines are
 * already written, so an event that fails is the cycle's failure (an error naming the target), not
 * in its line.
 */
final class Announcements {

  private final DecisionEvents events;
  private final OperatorLog log;
  private final Clock clock;
  private final List<DecisionRecord> waiting = new ArrayList<>();

  /** The last {@link #sendUntil}'s start, and how many entries it gave the bus (0: none). */
  private Instant lastStart;

  private int lastTried;

  Announcements(DecisionEvents events, OperatorLog log, Clock clock) {
    this.events = Objects.requireNonNull(events, "events");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Keeps the scaling decisions among {@code decided}, after those already waiting: each target's
   * earlier scale that it saw landed late first (it happened first), then its own.
   */
  void add(Collection<TargetOutcome> decided) {
    for (TargetOutcome outcome : decided) {
      outcome.lateLanding().ifPresent(late -> waiting.add(late.announcement()));
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
    lastStart = clock.instant();
    lastTried = 0;
    if (waiting.isEmpty() || !lastStart.isBefore(by)) {
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
    lastTried = tried;
    for (int i = 0; i < tried; i++) {
      Optional<RuntimeException> failure = results.get(i);
      if (failure.isPresent()) {
        // A call that failed as a whole may have been taken (DecisionEvents.MaybeSent).
        String outcome =
            failure.get() instanceof DecisionEvents.MaybeSent
                ? "may not have been sent"
                : "not sent";
        failures.add(report(waiting.get(i), outcome + ": " + TargetCycle.describe(failure.get())));
      }
    }
    waiting.subList(0, tried).clear();
    return failures;
  }

  /**
   * Reports each event still waiting as not sent, {@code by} having come, and forgets them: the
   * cycle's time for events is over. The reason names what took that time: the bus, when the last
   * {@link #sendUntil} gave it entries; else the cycle's other work (its rounds, idle checks and
   * waits), which ran until too close to {@code by} for a call.
   */
  List<String> notSent(Instant by) {
    String took =
        lastTried > 0
            ? "PutEvents calls took it from "
                + lastStart
                + ", with the "
                + lastTried
                + " event(s) given before it"
            : "the cycle's other work ran until "
                + (lastStart == null ? clock.instant() : lastStart)
                + ", leaving less than a call's time";
    return notSentBecause("no time left for it by " + by + ", the cycle's end for events: " + took);
  }

  /** Reports each event still waiting as not sent, the cycle interrupted, and forgets them. */
  List<String> interrupted() {
    return notSentBecause("the cycle was interrupted before it was sent");
  }

  private List<String> notSentBecause(String why) {
    List<String> failures = new ArrayList<>();
    for (DecisionRecord decision : waiting) {
      failures.add(report(decision, "not sent: " + why));
    }
    waiting.clear();
    return failures;
  }

  private String report(DecisionRecord decision, String why) {
    String message =
        decision.target()
            + ": "
            + decision.action()
            + (decision.landedLate() ? " (landed late)" : "")
            + " done, its event "
            + why;
    log.error(message);
    return message;
  }
}
