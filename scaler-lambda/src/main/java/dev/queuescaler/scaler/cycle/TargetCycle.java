package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Decision;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Sample;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ScalingPolicy;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One target's cycle: load, read, decide, record, act, announce. The failure policy lives here: a
 * read that fails is a HOLD, never a scale-in; an unreadable safety switch fails closed.
 *
 * <p>The concurrency rule: no cycle sets a count computed from a service read that may predate
 * another cycle's action. The state is loaded before {@code now} is taken; the next state is stored
 * only if nobody stored one since that load (a conditional write), and it carries the count about
 * to be set ({@link LastAction}) with the time by which that update is over. A round's batched
 * service read is taken before the load: it is used only when it started after the stored action
 * settled, otherwise the target reads its service again. A read that does not show a still-settling
 * action holds the target (CONCURRENT_RUN). Overlapping invocations are excluded by the cycle's
 * lease ({@link CycleLease}); this rule is what keeps a target safe if the lease is ever lost.
 *
 * <p>Times in the stored state that are ahead of this cycle's clock (a writer whose clock is fast)
 * are read as now and reported: a skewed clock never freezes a target.
 */
final class TargetCycle {

  /**
   * AWS calls that must fit once a target decides to act: the state write and the UpdateService.
   * The undo of a failed update is not budgeted: if the function is killed before it, the stored
   * action still settles by its own time.
   */
  static final int CALLS_TO_ACT = 2;

  /** Stored times further ahead of this cycle's clock than this are reported as skew. */
  static final Duration REPORTED_SKEW = Duration.ofSeconds(2);

  private final QueueProbe queues;
  private final ServiceScaler services;
  private final DecisionStore store;
  private final Clock clock;
  private final Duration worstCall;
  private final ServiceMemory memory;

  TargetCycle(
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      Clock clock,
      Duration worstCall) {
    this(queues, services, store, clock, worstCall, new ServiceMemory());
  }

  TargetCycle(
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      Clock clock,
      Duration worstCall,
      ServiceMemory memory) {
    this.queues = queues;
    this.services = services;
    this.store = store;
    this.clock = clock;
    this.worstCall = worstCall;
    this.memory = memory;
  }

  TargetOutcome run(TargetConfig target, Deadline deadline) {
    return run(target, deadline, Sample.FIRST_OF_INVOCATION);
  }

  /** One sample of the target: a follow-up within an invocation never scales in. */
  TargetOutcome run(TargetConfig target, Deadline deadline, Sample sample) {
    return run(target, deadline, sample, Optional.empty());
  }

  /**
   * One sample with the service already read in its round's batch (DescribeServices takes ten
   * services a call), or remembered from an earlier read or update. That read precedes this cycle's
   * state load: it is used only if it started after the last stored action settled (or is that
   * action's own count), else the service is read again; and a remembered count is read again
   * before the target acts on it.
   */
  TargetOutcome run(
      TargetConfig target, Deadline deadline, Sample sample, Optional<BatchedRead> service) {
    long started = System.nanoTime();
    Attempt attempt = new Attempt(target, deadline, sample, service);
    attempt.run();
    long millis = (System.nanoTime() - started) / 1_000_000;
    return new TargetOutcome(attempt.record, attempt.completed, target.problems().size(), millis);
  }

  /** The state of one run, so that each step reads as one short method. */
  private final class Attempt {
    private final TargetConfig target;
    private final Deadline deadline;
    private final ServiceRef service;
    private final List<String> errors;
    private final ScalingParameters parameters;
    private final Sample sample;
    private final Optional<BatchedRead> prefetched;

    /** Whether the service's count in use was remembered, not read this round. */
    private boolean remembered;

    private Instant now;
    private Optional<QueueSnapshot> queueSnapshot = Optional.empty();
    private Optional<ServiceSnapshot> serviceSnapshot = Optional.empty();
    private DecisionRecord record;
    private boolean completed;

    Attempt(TargetConfig target, Deadline deadline, Sample sample, Optional<BatchedRead> read) {
      this.target = target;
      this.sample = sample;
      this.prefetched = read;
      this.deadline = deadline;
      this.service = new ServiceRef(target.cluster(), target.service());
      this.errors = new ArrayList<>(target.problems());
      this.parameters = target.parameters().orElse(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS);
    }

    void run() {
      Optional<StoredState> loaded = load();
      now = clock.instant();
      Optional<StoredState> state = loaded.map(this::seenNow);
      Optional<Reason> unreadable = readQueueAndService(state);
      if (unreadable.isPresent()) {
        hold(unreadable.get(), Optional.empty(), false);
        return;
      }
      QueueSnapshot queue = queueSnapshot.orElseThrow();
      ServiceSnapshot current = serviceSnapshot.orElseThrow();
      if (!target.switchesReadable()) {
        // A typo in the kill switch must not let the scaler act: fail closed, and loudly.
        hold(Reason.CONFIG_INVALID, Optional.empty(), false);
        return;
      }
      if (target.parameters().isEmpty()) {
        hold(Reason.CONFIG_INVALID, Optional.empty(), true);
        return;
      }
      if (state.isEmpty()) {
        hold(Reason.STATE_UNAVAILABLE, Optional.empty(), false);
        return;
      }
      Decision decision =
          ScalingPolicy.decide(parameters, queue, current, state.get().history(), now, sample);
      if (!target.enabled()) {
        hold(Reason.DISABLED, Optional.of(decision.recommended()), true);
        return;
      }
      if (target.dryRun()) {
        // Dry runs store nothing: a CLI dry run beside the live Lambda must not win its race.
        finish(decision, true);
        return;
      }
      if (remembered && decision.changesCount()) {
        // A remembered count is never acted on: read the service, and decide on what it shows.
        Optional<ServiceSnapshot> read = readServiceNow();
        if (read.isEmpty()) {
          hold(Reason.SERVICE_UNREADABLE, Optional.of(decision.recommended()), false);
          return;
        }
        current = read.get();
        decision =
            ScalingPolicy.decide(parameters, queue, current, state.get().history(), now, sample);
      }
      if (actionStillSettling(state.get(), current)) {
        hold(Reason.CONCURRENT_RUN, Optional.of(decision.recommended()), true);
        return;
      }
      if (!deadline.allows(clock.instant(), CALLS_TO_ACT, worstCall)) {
        errors.add(
            "deadline: "
                + deadline.describeLeft(clock.instant())
                + ", too little to store and act; nothing stored or changed");
        hold(Reason.OUT_OF_TIME, Optional.of(decision.recommended()), false);
        return;
      }
      actOn(decision, state.get());
    }

    private Optional<StoredState> load() {
      try {
        return Optional.of(store.load(target.name()));
      } catch (RuntimeException e) {
        errors.add("state: " + describe(e));
        return Optional.empty();
      }
    }

    /**
     * The loaded state as this cycle's clock must read it: times ahead of {@code now} are read as
     * now, and the skew is reported.
     */
    private StoredState seenNow(StoredState stored) {
      Duration ahead = stored.aheadOf(now);
      if (ahead.compareTo(REPORTED_SKEW) > 0) {
        errors.add(
            "clock: the stored state is "
                + ahead.toSeconds()
                + " s ahead of this clock (a writer's clock is fast, or this one is slow);"
                + " its times are read as now");
      }
      return stored.seenAt(now, settleWindow());
    }

    /** Reads both, in a fixed order: when both fail, the reason names the queue, errors both. */
    private Optional<Reason> readQueueAndService(Optional<StoredState> state) {
      Optional<Reason> unreadable = Optional.empty();
      try {
        queueSnapshot = Optional.of(queues.read(target.queueUrl()));
      } catch (RuntimeException e) {
        errors.add("queue: " + describe(e));
        unreadable = Optional.of(Reason.QUEUE_UNREADABLE);
      }
      Optional<BatchedRead> usable = prefetched.filter(read -> read.isAfterSettling(state));
      if (usable.isPresent()) {
        try {
          serviceSnapshot = Optional.of(usable.get().reading().get());
          remembered = usable.get().remembered();
        } catch (RuntimeException e) {
          errors.add("service: " + describe(e));
          unreadable = unreadable.or(() -> Optional.of(Reason.SERVICE_UNREADABLE));
        }
      } else {
        serviceSnapshot = readServiceNow();
        if (serviceSnapshot.isEmpty()) {
          unreadable = unreadable.or(() -> Optional.of(Reason.SERVICE_UNREADABLE));
        }
      }
      return unreadable;
    }

    /** Reads the service on its own, and remembers it; empty (the error kept) when that fails. */
    private Optional<ServiceSnapshot> readServiceNow() {
      Instant started = clock.instant();
      try {
        ServiceSnapshot read = services.describe(service);
        memory.read(service, read, started);
        serviceSnapshot = Optional.of(read);
        remembered = false;
        return serviceSnapshot;
      } catch (RuntimeException e) {
        errors.add("service: " + describe(e));
        return Optional.empty();
      }
    }

    /**
     * Whether the last stored action may still be landing and the service read does not show it:
     * acting now could undo it.
     */
    private boolean actionStillSettling(StoredState state, ServiceSnapshot read) {
      return state
          .lastAction()
          .filter(action -> action.desired() != read.desired())
          .filter(action -> action.unsettledAt(now))
          .isPresent();
    }

    private void actOn(Decision decision, StoredState state) {
      boolean scalingOut = decision.action() == Action.SCALE_OUT;
      ScalingHistory next =
          state
              .history()
              .after(
                  now,
                  decision.recommended(),
                  OptionalLong.of(queueSnapshot.orElseThrow().inFlight()),
                  scalingOut,
                  parameters.historyRetention());
      // The update starts right after the save, and both fit the deadline (checked before), so by
      // this time it has landed or been given up, even if the function is killed in between.
      Optional<LastAction> lastAction =
          decision.changesCount()
              ? Optional.of(
                  new LastAction(decision.desired(), now, clock.instant().plus(settleWindow())))
              : state.lastAction();
      if (!decision.changesCount() && next.equals(state.history())) {
        // Nothing to store: an empty sample after an empty one adds nothing to the history
        // (ScalingHistory#after), so an idle target, or one waiting out its windows on an empty
        // queue, writes nothing until it acts or its queue fills.
        finish(decision, true);
        return;
      }
      Optional<StoredState> saved;
      try {
        saved = store.save(target.name(), state.version(), next, lastAction);
      } catch (RuntimeException e) {
        errors.add("state: " + describe(e));
        hold(Reason.STATE_UNAVAILABLE, Optional.of(decision.recommended()), false);
        return;
      }
      if (saved.isEmpty()) {
        hold(Reason.CONCURRENT_RUN, Optional.of(decision.recommended()), true);
        return;
      }
      if (decision.changesCount()) {
        try {
          services.setDesiredCount(service, decision.desired());
          memory.set(service, lastAction.orElseThrow(), clock.instant());
        } catch (RuntimeException e) {
          errors.add("update to desired " + decision.desired() + " failed: " + describe(e));
          memory.forget(service);
          if (landedAnyway(decision.desired())) {
            // Applied, its answer lost (a timeout after the write): the action stands, and so
            // does its record, so its cooldown runs and nothing acts on the old count.
            errors.add("ECS shows desired " + decision.desired() + ": the update was applied");
            memory.set(service, lastAction.orElseThrow(), clock.instant());
            finish(decision, true);
            return;
          }
          undo(saved.get(), state);
          hold(Reason.UPDATE_FAILED, Optional.of(decision.recommended()), false);
          return;
        }
      }
      finish(decision, true);
    }

    /** Whether a read after a failed update shows its count: the call failed after it applied. */
    private boolean landedAnyway(int desired) {
      try {
        return services.describe(service).desired() == desired;
      } catch (RuntimeException unreadable) {
        return false; // unknown: undone, as a failed update; the next read shows the truth
      }
    }

    /**
     * Takes back what a failed update recorded: the scale-out time (so no cooldown starts) and the
     * action (so no cycle waits for it; the one before it stands again). A lost race is reported,
     * not ignored.
     */
    private void undo(StoredState saved, StoredState before) {
      try {
        Optional<StoredState> undone =
            store.save(
                target.name(),
                saved.version(),
                saved.history().withLastScaleOutOf(before.history()),
                before.lastAction());
        if (undone.isEmpty()) {
          errors.add(
              "state: could not undo the recorded action: another cycle stored a newer state"
                  + " first (its cooldown and pending count stand until they expire)");
        }
      } catch (RuntimeException e) {
        errors.add("state: could not undo the recorded action: " + describe(e));
      }
    }

    /** How long a save and an update take at worst: an action settles this long after its save. */
    private Duration settleWindow() {
      return worstCall.multipliedBy(CALLS_TO_ACT);
    }

    private void hold(Reason reason, Optional<Integer> recommended, boolean completed) {
      Optional<Integer> current = serviceSnapshot.map(ServiceSnapshot::desired);
      write(Action.HOLD, reason, recommended, current, completed);
    }

    private void finish(Decision decision, boolean completed) {
      write(
          decision.action(),
          decision.reason(),
          Optional.of(decision.recommended()),
          Optional.of(decision.desired()),
          completed);
    }

    private void write(
        Action action,
        Reason reason,
        Optional<Integer> recommended,
        Optional<Integer> desired,
        boolean completed) {
      this.completed = completed;
      this.record =
          new DecisionRecord(
              target.name().value(),
              queueSnapshot,
              queueSnapshot.map(queue -> ScalingPolicy.backlog(parameters, queue)),
              serviceSnapshot,
              recommended,
              desired,
              action,
              reason,
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
