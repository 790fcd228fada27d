package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Decision;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ScalingPolicy;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One target's cycle: read, decide, record, act, announce. The failure policy lives here: a read
 * that fails is a HOLD, never a scale-in; the history is stored (conditionally) before the service
 * is touched, and a cycle that loses that race does not act; an update that fails is not recorded
 * as a scale-out that happened.
 */
final class TargetCycle {

  private final QueueProbe queues;
  private final ServiceScaler services;
  private final DecisionStore store;
  private final DecisionEvents events;

  TargetCycle(
      QueueProbe queues, ServiceScaler services, DecisionStore store, DecisionEvents events) {
    this.queues = queues;
    this.services = services;
    this.store = store;
    this.events = events;
  }

  TargetOutcome run(TargetConfig target, Instant now) {
    long started = System.nanoTime();
    Attempt attempt = new Attempt(target, now);
    attempt.run();
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new TargetOutcome(attempt.record, attempt.completed, target.problems().size(), millis);
  }

  /** The state of one run, so that each step reads as one short method. */
  private final class Attempt {
    private final TargetConfig target;
    private final Instant now;
    private final ServiceRef service;
    private final List<String> errors;
    private QueueSnapshot queueSnapshot = new QueueSnapshot(0, 0, 0);
    private ServiceSnapshot serviceSnapshot = new ServiceSnapshot(0, 0, 0);
    private DecisionRecord record;
    private boolean completed;

    Attempt(TargetConfig target, Instant now) {
      this.target = target;
      this.now = now;
      this.service = new ServiceRef(target.cluster(), target.service());
      this.errors = new ArrayList<>(target.problems());
    }

    void run() {
      Optional<Reason> unreadable = readQueueAndService();
      ScalingParameters parameters = target.parameters().orElse(ScalingParameters.DEFAULTS);
      long backlog = ScalingPolicy.backlog(parameters, queueSnapshot);
      int current = serviceSnapshot.desired();
      if (unreadable.isPresent()) {
        finish(Decision.hold(backlog, current, current, unreadable.get()), false);
        return;
      }
      if (target.parameters().isEmpty()) {
        finish(Decision.hold(backlog, current, current, Reason.CONFIG_INVALID), true);
        return;
      }
      StoredState state;
      try {
        state = store.load(target.name());
      } catch (RuntimeException e) {
        errors.add("state: " + describe(e));
        finish(Decision.hold(backlog, current, current, Reason.STATE_UNAVAILABLE), false);
        return;
      }
      Decision decision =
          ScalingPolicy.decide(parameters, queueSnapshot, serviceSnapshot, state.history(), now);
      if (!target.enabled()) {
        finish(Decision.hold(backlog, current, decision.recommended(), Reason.DISABLED), true);
        return;
      }
      if (target.dryRun()) {
        // Dry runs store nothing: a CLI dry run beside the live Lambda must not win its race.
        finish(decision, true);
        announce();
        return;
      }
      actOn(decision, state, parameters);
    }

    private Optional<Reason> readQueueAndService() {
      Optional<Reason> unreadable = Optional.empty();
      try {
        serviceSnapshot = services.describe(service);
      } catch (RuntimeException e) {
        errors.add("service: " + describe(e));
        unreadable = Optional.of(Reason.SERVICE_UNREADABLE);
      }
      try {
        queueSnapshot = queues.read(target.queueUrl());
      } catch (RuntimeException e) {
        errors.add("queue: " + describe(e));
        unreadable = Optional.of(Reason.QUEUE_UNREADABLE);
      }
      return unreadable;
    }

    private void actOn(Decision decision, StoredState state, ScalingParameters parameters) {
      boolean scalingOut = decision.action() == Action.SCALE_OUT;
      ScalingHistory next =
          state
              .history()
              .after(now, decision.recommended(), scalingOut, parameters.scaleInStabilization());
      Optional<StoredState> saved;
      try {
        saved = store.save(target.name(), state.version(), next);
      } catch (RuntimeException e) {
        errors.add("state: " + describe(e));
        finish(holdInstead(decision, Reason.STATE_UNAVAILABLE), false);
        return;
      }
      if (saved.isEmpty()) {
        finish(holdInstead(decision, Reason.CONCURRENT_RUN), true);
        return;
      }
      if (decision.changesCount()) {
        try {
          services.setDesiredCount(service, decision.desired());
        } catch (RuntimeException e) {
          errors.add("update to desired " + decision.desired() + " failed: " + describe(e));
          if (scalingOut) {
            forgetScaleOut(saved.get(), state.history());
          }
          finish(holdInstead(decision, Reason.UPDATE_FAILED), false);
          return;
        }
      }
      finish(decision, true);
      announce();
    }

    /** Undoes the recorded scale-out time so a failed update does not start a cooldown. */
    private void forgetScaleOut(StoredState saved, ScalingHistory before) {
      try {
        store.save(target.name(), saved.version(), saved.history().withLastScaleOutOf(before));
      } catch (RuntimeException e) {
        errors.add("state: could not undo the scale-out time: " + describe(e));
      }
    }

    private void announce() {
      if (record.action() == Action.HOLD) {
        return;
      }
      try {
        events.publish(record);
      } catch (RuntimeException e) {
        record = record.withError("event: " + describe(e));
      }
    }

    private Decision holdInstead(Decision decision, Reason reason) {
      return Decision.hold(decision.backlog(), decision.current(), decision.recommended(), reason);
    }

    private void finish(Decision decision, boolean completed) {
      this.completed = completed;
      this.record =
          new DecisionRecord(
              target.name().value(),
              queueSnapshot.visible(),
              queueSnapshot.inFlight(),
              queueSnapshot.delayed(),
              decision.backlog(),
              decision.current(),
              serviceSnapshot.running(),
              serviceSnapshot.pending(),
              decision.recommended(),
              decision.desired(),
              decision.action(),
              decision.reason(),
              target.dryRun(),
              errors,
              now);
    }
  }

  static String describe(RuntimeException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
