package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Cadence;
import dev.queuescaler.scaler.policy.Decision;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Sample;
import dev.queuescaler.scaler.policy.ScalingHistory;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.ScalingPolicy;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.scaler.policy.UpdateUrgency;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One target's cycle: load, read, decide, record, act, announce. The failure policy lives here: a
 * read that fails is a HOLD, never a scale-in; an unreadable safety switch fails closed. A round
 * runs it in two halves ({@link #decide}, then {@link Pending#act} in the round's order of
 * urgency); {@link #run} runs both at once.
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
   * What follows a failed call is not budgeted ahead: the read-back of an update whose outcome is
   * unknown, the undo of one ECS refused, the read-back of a save whose outcome is unknown and the
   * fence that keeps it from applying later. Each of those calls starts only while it fits the
   * deadline, and the update after a save's read-back only while that still ends before its action
   * settles; one skipped leaves the stored action to settle by its own time, which the deadline
   * bounds, and the line is written in the margin kept for it.
   */
  static final int CALLS_TO_ACT = 2;

  /**
   * How long after the SDK gave up on an UpdateService a request of it may still land, as far as
   * the scaler bounds it: one attempt's timeout (the AWS clients' {@code ATTEMPT_TIMEOUT}), the
   * time ECS was given to answer the last attempt still in flight when the call ended. The record
   * of an update whose outcome is unknown is stored again to settle by then ({@link
   * Attempt#afterFailedUpdate}), so that it holds no invocation after its own; a request that lands
   * later still is not guarded against (docs/scaler.md).
   */
  static final Duration UPDATE_LANDS_WITHIN = Duration.ofSeconds(5);

  /**
   * How long after an unconfirmed action settled a read showing its count is still taken for its
   * late landing. ECS applies an update whose answer was lost before it settles; an active target
   * is read again within the invocation or at the next one, a minute on. A count first seen later
   * (the target disabled, or its samples held, meanwhile) may as well be another writer's: the
   * action is then confirmed without announcing it.
   */
  static final Duration LATE_LANDING_SEEN_WITHIN = Duration.ofMinutes(2);

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
   * before the target acts on it. Decides and acts at once: {@link #decide} and {@link Pending#act}
   * are the two halves, for a round that orders its actions.
   */
  TargetOutcome run(
      TargetConfig target, Deadline deadline, Sample sample, Optional<BatchedRead> service) {
    Decided decided = decide(target, deadline, sample, service);
    return decided.outcome().orElseGet(() -> decided.pending().orElseThrow().act(Turn.ALONE));
  }

  /**
   * The first half of a sample: load, read, decide, and for a decision that keeps the count, store
   * it. A decision that changes the count (or a count that must be read again first) is returned
   * {@link Pending}: the round reads the remembered services together and then lets the changes act
   * in order of urgency.
   */
  Decided decide(
      TargetConfig target, Deadline deadline, Sample sample, Optional<BatchedRead> service) {
    Attempt attempt = new Attempt(target, deadline, sample, service);
    attempt.timed(attempt::decide);
    return attempt.pending
        ? new Decided(Optional.empty(), Optional.of(new Pending(attempt)))
        : new Decided(Optional.of(attempt.outcome()), Optional.empty());
  }

  /** A sample's first half: its outcome, or the action that waits for its turn. */
  record Decided(Optional<TargetOutcome> outcome, Optional<Pending> pending) {
    Decided {
      if (outcome.isPresent() == pending.isPresent()) {
        throw new IllegalArgumentException("a sample is either decided or pending");
      }
    }
  }

  /**
   * A target's turn to store its action and start its update: the round hands them out in order of
   * urgency, one at a time, so the update pacer gives out its slots in that order.
   */
  interface Turn {
    /**
     * Waits for this target's turn.
     *
     * @return how many updates went first in this round
     */
    int await() throws InterruptedException;

    /** Ends the turn (idempotent); {@code updating}: an update starts right after. */
    void end(boolean updating);

    /** A target acting on its own: no one goes first. */
    Turn ALONE =
        new Turn() {
          @Override
          public int await() {
            return 0;
          }

          @Override
          public void end(boolean updating) {}
        };
  }

  /** A decision waiting to act: its service read again if its count was remembered, then acted. */
  final class Pending {
    private final Attempt attempt;

    private Pending(Attempt attempt) {
      this.attempt = attempt;
    }

    /** The target's service. */
    ServiceRef service() {
      return attempt.service;
    }

    /** Whether its count was remembered: it must read its service before it acts. */
    boolean needsRead() {
      return attempt.remembered;
    }

    /** The decision it intends to act on, as an outcome (for its span). */
    TargetOutcome intended() {
      return attempt.intended();
    }

    /**
     * Its claim on the update budget, as decided so far.
     *
     * @param cyclesWaited the cycles in a row the deadline left it out before this one
     */
    UpdateUrgency.Claim claim(int cyclesWaited) {
      return new UpdateUrgency.Claim(attempt.target.name().value(), attempt.decision, cyclesWaited);
    }

    /**
     * Decides again on its service as the round read it after the state load. A failed read holds
     * the target (SERVICE_UNREADABLE), and a decision that no longer changes the count ends there
     * as any decision that keeps it: their outcome is then returned.
     */
    Optional<TargetOutcome> reread(ServiceReading reading) {
      attempt.timed(() -> attempt.decideOn(reading));
      return attempt.pending ? Optional.empty() : Optional.of(attempt.outcome());
    }

    /** Stores and acts in its turn (reading its service first if its count is still remembered). */
    TargetOutcome act(Turn turn) {
      try {
        attempt.timed(() -> attempt.act(turn));
      } finally {
        turn.end(false); // whatever happened, the targets after it get their turn
      }
      return attempt.outcome();
    }
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
    private FailureKind callsFailed = FailureKind.PASSING;

    /** Whether the decision waits to act ({@link Pending}), its record not written yet. */
    private boolean pending;

    private StoredState state;
    private Decision decision;

    /** An earlier action this sample saw landed late and stored confirmed: to announce. */
    private Optional<LateLanding> lateLanding = Optional.empty();

    /** The history the decision was made on; what an action stores grows from it. */
    private ScalingHistory decidedOn;

    private long nanos;

    Attempt(TargetConfig target, Deadline deadline, Sample sample, Optional<BatchedRead> read) {
      this.target = target;
      this.sample = sample;
      this.prefetched = read;
      this.deadline = deadline;
      this.service = new ServiceRef(target.cluster(), target.service());
      this.errors = new ArrayList<>(target.problems());
      this.parameters = target.parameters().orElse(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS);
    }

    /** Runs a step, counting its time as the target's. */
    void timed(Runnable step) {
      long started = System.nanoTime();
      step.run();
      nanos += System.nanoTime() - started;
    }

    TargetOutcome outcome() {
      return new TargetOutcome(
          record,
          completed ? Optional.empty() : Optional.of(failureKind()),
          target.problems().size(),
          nanos / 1_000_000,
          lateLanding);
    }

    /**
     * Whether what failed may pass within the minute: invalid values stay invalid and the time left
     * only shrinks; otherwise the calls that failed say ({@link CallFailure}).
     */
    private FailureKind failureKind() {
      Reason reason = record.reason();
      return reason == Reason.CONFIG_INVALID || reason == Reason.OUT_OF_TIME
          ? FailureKind.LASTING
          : callsFailed;
    }

    /** Notes what kind of failure {@code e} is and returns its description for the line. */
    private String failed(RuntimeException e) {
      callsFailed = callsFailed.and(FailureKind.of(e));
      return describe(e);
    }

    void decide() {
      Optional<StoredState> loaded = load();
      now = clock.instant();
      Optional<StoredState> seen = loaded.map(this::seenNow);
      Optional<Reason> unreadable = readQueueAndService(seen);
      if (unreadable.isPresent()) {
        hold(unreadable.get(), Optional.empty(), false);
        return;
      }
      if (!target.switchesReadable()) {
        // A typo in the kill switch must not let the scaler act: fail closed, and loudly.
        hold(Reason.CONFIG_INVALID, Optional.empty(), false);
        return;
      }
      if (target.parameters().isEmpty()) {
        hold(Reason.CONFIG_INVALID, Optional.empty(), true);
        return;
      }
      if (seen.isEmpty()) {
        hold(Reason.STATE_UNAVAILABLE, Optional.empty(), false);
        return;
      }
      state = seen.get();
      decision = decideOnSnapshots();
      if (!target.enabled()) {
        hold(Reason.DISABLED, Optional.of(decision.recommended()), true);
        return;
      }
      if (target.dryRun()) {
        // Dry runs store nothing: a CLI dry run beside the live Lambda must not win its race.
        finish(decision, true);
        return;
      }
      if (decision.changesCount()) {
        // A change waits for its turn; a remembered count is read again before it (in the round's
        // batch, or by the target itself), and never acted on.
        pending = true;
        return;
      }
      settleAndAct(Turn.ALONE, false);
    }

    /** The count the target's last stored action set, if one is stored. */
    private Optional<Integer> lastSet() {
      return state.lastAction().map(LastAction::desired);
    }

    private Decision decideOnSnapshots() {
      // A dry run stores nothing: holding the fleet it finds would hold its every line.
      decidedOn =
          target.dryRun()
              ? state.history()
              : state
                  .history()
                  .withFleetAsFound(
                      serviceSnapshot.orElseThrow().desired(), lastSet(), parameters, now);
      return ScalingPolicy.decide(
          parameters,
          queueSnapshot.orElseThrow(),
          serviceSnapshot.orElseThrow(),
          decidedOn,
          now,
          sample,
          target.sampling());
    }

    /** Decides again on the service as read after the state load. */
    void decideOn(ServiceReading reading) {
      try {
        serviceSnapshot = Optional.of(reading.get());
        remembered = false;
      } catch (RuntimeException e) {
        errors.add("service: " + failed(e));
        pending = false;
        hold(Reason.SERVICE_UNREADABLE, Optional.of(decision.recommended()), false);
        return;
      }
      decision = decideOnSnapshots();
      if (!decision.changesCount()) {
        // The count is already where it wanted it (someone else set it): no update waits for the
        // budget, so it ends here as any decision that keeps the count, its state stored if that
        // changed, instead of waiting for a turn the deadline may not give (OUT_OF_TIME).
        pending = false;
        settleAndAct(Turn.ALONE, false);
      }
    }

    void act(Turn turn) {
      pending = false;
      settleAndAct(turn, remembered);
    }

    /**
     * The checks every action passes, in its turn, then the action; {@code readFirst}: its count
     * was remembered and its round did not read it, so it reads its service and decides again.
     */
    private void settleAndAct(Turn turn, boolean readFirst) {
      try {
        int wentFirst;
        try {
          wentFirst = turn.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          errors.add("interrupted before its turn to act; nothing stored or changed");
          hold(Reason.OUT_OF_TIME, Optional.of(decision.recommended()), false);
          return;
        }
        if (readFirst) {
          if (!deadline.allows(clock.instant(), CALLS_TO_ACT + 1, worstCall)) {
            outOfTime(wentFirst);
            return;
          }
          if (readServiceNow().isEmpty()) {
            hold(Reason.SERVICE_UNREADABLE, Optional.of(decision.recommended()), false);
            return;
          }
          decision = decideOnSnapshots();
        }
        if (actionStillSettling(state, serviceSnapshot.orElseThrow())) {
          LastAction waitedFor = state.lastAction().orElseThrow();
          errors.add(
              "state: waiting for the pending desired "
                  + waitedFor.desired()
                  + " (stored at "
                  + waitedFor.at()
                  + "), which the service read (desired "
                  + serviceSnapshot.orElseThrow().desired()
                  + ") does not show: held as CONCURRENT_RUN until "
                  + waitedFor.settledBy()
                  + " at the latest");
          hold(Reason.CONCURRENT_RUN, Optional.of(decision.recommended()), true);
          return;
        }
        if (!deadline.allows(clock.instant(), CALLS_TO_ACT, worstCall)) {
          outOfTime(wentFirst);
          return;
        }
        actOn(decision, state, turn);
      } finally {
        turn.end(false);
      }
    }

    /**
     * Holds for the deadline, saying whether more urgent updates took the time. A follow-up
     * sample's scale-in is different: the target's next sample (at the latest the next invocation's
     * first) decides it again, so it holds as stabilizing (as backlog-and-load's follow-ups always
     * do), not as a failure that sets off the cycle's alarm. Scale-ins whose windows end together
     * (targets that scaled out in the same minute) fall due in one round, often the last, with 3 s
     * of the update budget left.
     */
    private void outOfTime(int wentFirst) {
      if (sample != Sample.FIRST_OF_INVOCATION && decision.action() == Action.SCALE_IN) {
        hold(Reason.STABILIZING, Optional.of(decision.recommended()), true);
        return;
      }
      // An idle check's scale-out that no longer fits is left to the next scheduled invocation,
      // which reads the queue anyway (deploy.md): its line says so, but it sets off no alarm and
      // sends no check to the dead-letter queue.
      boolean leftToNextInvocation =
          sample == Sample.IDLE_CHECK && decision.action() == Action.SCALE_OUT;
      errors.add(
          (leftToNextInvocation ? "left to the next invocation: " : "")
              + "deadline: "
              + deadline.describeLeft(clock.instant())
              + ", too little to store and act; nothing stored or changed"
              + (decision.changesCount() && wentFirst > 0
                  ? "; waited for the update budget: "
                      + wentFirst
                      + " more urgent update"
                      + (wentFirst == 1 ? "" : "s")
                      + " went first"
                  : ""));
      hold(Reason.OUT_OF_TIME, Optional.of(decision.recommended()), leftToNextInvocation);
    }

    private Optional<StoredState> load() {
      try {
        return Optional.of(store.load(target.name()));
      } catch (RuntimeException e) {
        errors.add("state: " + failed(e));
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
        errors.add("queue: " + failed(e));
        unreadable = Optional.of(Reason.QUEUE_UNREADABLE);
      }
      Optional<BatchedRead> usable = prefetched.filter(read -> read.isAfterSettling(state));
      if (usable.isPresent()) {
        try {
          serviceSnapshot = Optional.of(usable.get().reading().get());
          remembered = usable.get().remembered();
        } catch (RuntimeException e) {
          errors.add("service: " + failed(e));
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
        errors.add("service: " + failed(e));
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

    private void actOn(Decision decision, StoredState loaded, Turn turn) {
      // An earlier update of unknown outcome that this read resolves is stored confirmed: carried
      // over by a save that keeps the count, the one taken back by an undo, and the one a fence
      // re-stores is then the confirmed one, so no later sample announces it again.
      Resolved resolved = resolve(loaded);
      StoredState state = resolved.state();
      boolean scalingOut = decision.action() == Action.SCALE_OUT;
      ScalingHistory next =
          decidedOn
              .after(
                  now,
                  decision.recommended(),
                  OptionalLong.of(queueSnapshot.orElseThrow().inFlight()),
                  scalingOut,
                  parameters.historyRetention(),
                  parameters.minTasks(),
                  Cadence.after(decision, sample))
              .withQueueSeen(now, queueSnapshot.orElseThrow(), parameters);
      // The update starts right after the save, and both fit the deadline (checked before), so by
      // this time it has landed or been given up, even if the function is killed in between.
      Optional<LastAction> lastAction =
          decision.changesCount()
              ? Optional.of(
                  new LastAction(decision.desired(), now, clock.instant().plus(settleWindow())))
              : state.lastAction();
      if (!decision.changesCount() && next.equals(state.history()) && !resolved.changed()) {
        // Nothing to store: a sample at the floor after an equal one adds nothing to the history
        // (ScalingHistory#after), so an idle target, one kept warm by min-tasks, or one waiting out
        // its windows on an empty queue, writes nothing until it acts or its queue fills.
        finish(decision, true);
        return;
      }
      Optional<StoredState> saved;
      try {
        saved = store.save(target.name(), state.version(), next, lastAction);
      } catch (RuntimeException e) {
        errors.add("state: " + failed(e));
        // A write that keeps the count records only this sample, applied or not; one that records
        // an action may have been applied, its answer lost.
        saved =
            decision.changesCount()
                ? appliedAnyway(state, lastAction.orElseThrow(), scalingOut)
                : Optional.empty();
        if (saved.isEmpty()) {
          hold(Reason.STATE_UNAVAILABLE, Optional.of(decision.recommended()), false);
          return;
        }
      }
      if (saved.isEmpty()) {
        hold(Reason.CONCURRENT_RUN, Optional.of(decision.recommended()), true);
        return;
      }
      // Exactly once: the late landing is announced only after this save stored it confirmed (or
      // replaced it with this sample's action). The save is conditional on the version loaded with
      // it unconfirmed, so of two samples that saw it, only the one whose save won announces it,
      // and every sample after that loads it confirmed. Announcing before the save could announce
      // it twice; a save that loses its race, fails or whose outcome stays unknown announces
      // nothing (at most once: a write applied with its answer lost leaves it unannounced).
      lateLanding = resolved.announcement();
      if (decision.changesCount()) {
        // The next target's turn starts with its save: this update asks the pacer for its slot
        // before that one can.
        turn.end(true);
        try {
          services.setDesiredCount(service, decision.desired());
          memory.set(
              service, serviceSnapshot.orElseThrow(), lastAction.orElseThrow(), clock.instant());
        } catch (RuntimeException e) {
          afterFailedUpdate(
              e,
              "update to desired " + decision.desired() + " failed: " + failed(e),
              saved.get(),
              state,
              lastAction.orElseThrow(),
              scalingOut);
          return;
        }
      }
      finish(decision, true);
    }

    /** The loaded state with an unconfirmed action resolved by this sample's read, if it was. */
    private record Resolved(
        StoredState state, Optional<LateLanding> announcement, boolean changed) {}

    /**
     * What this sample's service read says of the stored action, if its update's outcome was
     * unknown: its count shows, so it landed after its cycle's read-back (to announce, and to store
     * confirmed); or it has settled and another count shows, so it never landed (to store
     * confirmed, without a word: the decision made on that read is the one that counts, as before);
     * or neither yet. A count that shows only more than {@link #LATE_LANDING_SEEN_WITHIN} after the
     * action settled is stored confirmed without a word too: it may be another writer's. The read
     * is one the cycle trusts for the action (taken after the state load, or started after the
     * action settled; a count remembered from this container's own update is that of a confirmed
     * action).
     */
    private Resolved resolve(StoredState loaded) {
      Optional<LastAction> unconfirmed =
          loaded.lastAction().filter(action -> action.unconfirmed().isPresent());
      if (unconfirmed.isEmpty()) {
        return new Resolved(loaded, Optional.empty(), false);
      }
      LastAction action = unconfirmed.get();
      ServiceSnapshot read = serviceSnapshot.orElseThrow();
      boolean landed = read.desired() == action.desired();
      if (!landed && action.unsettledAt(now)) {
        return new Resolved(loaded, Optional.empty(), false);
      }
      boolean seenInTime = !now.isAfter(action.settledBy().plus(LATE_LANDING_SEEN_WITHIN));
      StoredState confirmed =
          new StoredState(loaded.version(), loaded.history(), Optional.of(action.confirmed()));
      return new Resolved(
          confirmed,
          landed && seenInTime ? Optional.of(lateLandingOf(action, read)) : Optional.empty(),
          true);
    }

    /**
     * The announcement of {@code action}, seen landed by {@code read}: the scale it made (from the
     * count it was decided from to its own, for its reason), with this sample's queue and tasks and
     * time; no recommendation (the formula's count then is not stored).
     */
    private LateLanding lateLandingOf(LastAction action, ServiceSnapshot read) {
      LastAction.Unconfirmed unconfirmed = action.unconfirmed().orElseThrow();
      DecisionRecord announcement =
          new DecisionRecord(
              target.name().value(),
              queueSnapshot,
              queueSnapshot.map(queue -> ScalingPolicy.backlog(parameters, queue)),
              Optional.of(new ServiceSnapshot(unconfirmed.from(), read.running(), read.pending())),
              Optional.empty(),
              Optional.of(action.desired()),
              action.unconfirmedAction().orElseThrow(),
              unconfirmed.reason(),
              false,
              List.of(),
              now,
              true);
      return new LateLanding(announcement, action.at());
    }

    /**
     * What a save that failed, or whose outcome is unknown, stored. DynamoDB may have applied it
     * before its answer was lost (the SDK's last attempt or the call timeout ran out after the
     * write); its record would start a cooldown and hold the target as CONCURRENT_RUN for an update
     * that never ran. So the state is read back: the save's version carrying this action is this
     * save (the conditional write let no other cycle store that version), and its update runs as if
     * the save had answered, when it can still end before the action settles; otherwise the record
     * is taken back, as a failed update's. The state unchanged does not prove the save will not
     * apply: it is fenced off first ({@link #fenceOff}). Any other state was not this save: nothing
     * acts on it or takes it back.
     *
     * @return the state this save stored, when its update is to run
     */
    private Optional<StoredState> appliedAnyway(
        StoredState before, LastAction action, boolean scalingOut) {
      if (!deadline.allows(clock.instant(), 1, worstCall)) {
        errors.add(mayCarry(action, scalingOut, "no time left to read the state back"));
        return Optional.empty();
      }
      StoredState readBack;
      try {
        readBack = store.load(target.name());
      } catch (RuntimeException e) {
        errors.add(mayCarry(action, scalingOut, "read back: " + failed(e)));
        return Optional.empty();
      }
      if (readBack.version() == before.version()) {
        Optional<StoredState> storedSince = fenceOff(readBack, action, scalingOut);
        if (storedSince.isEmpty()) {
          return Optional.empty();
        }
        readBack = storedSince.get();
      }
      boolean thisSave =
          readBack.version() == before.version() + 1
              && readBack.lastAction().filter(action::sameAsStored).isPresent();
      if (!thisSave) {
        errors.add(
            "state: read back at version "
                + readBack.version()
                + ": another cycle stored a state since this one's load; nothing acts on it or"
                + " takes it back");
        return Optional.empty();
      }
      Instant at = clock.instant();
      if (deadline.allows(at, 1, worstCall) && !at.plus(worstCall).isAfter(action.settledBy())) {
        errors.add("state: read back: the write was applied, its answer lost; the update runs");
        return Optional.of(readBack);
      }
      errors.add(
          "state: read back: the write was applied, its answer lost, and the update no longer fits"
              + " before the action settles ("
              + deadline.describeLeft(at)
              + "); the recorded action is taken back");
      undo(readBack, before);
      return Optional.empty();
    }

    /**
     * Makes sure a save read back as not applied never applies. A consistent read shows only the
     * writes DynamoDB has finished, and the one the SDK gave up on may still be under way (slow,
     * which is why it timed out): it would land after the read-back. So the state read back is
     * stored again unchanged (its history and last action; only its version moves on), under the
     * condition that its version is still the one read, which is also the lost save's condition: of
     * the two, only the first to arrive applies. When the fence stands, the lost save can no longer
     * land. When its condition fails, a state was stored since the read-back (the lost save, or
     * another cycle's), and that state is read and returned, for the caller to tell which.
     *
     * @return the state stored since the read-back; empty when the fence stands or nothing is known
     *     (the reason in the line)
     */
    private Optional<StoredState> fenceOff(
        StoredState readBack, LastAction action, boolean scalingOut) {
      String notYet = "read back: not applied yet, ";
      if (!deadline.allows(clock.instant(), 1, worstCall)) {
        errors.add(mayCarry(action, scalingOut, notYet + "and no time left to fence it off"));
        return Optional.empty();
      }
      Optional<StoredState> fenced;
      try {
        fenced =
            store.save(
                target.name(), readBack.version(), readBack.history(), readBack.lastAction());
      } catch (RuntimeException e) {
        errors.add(
            mayCarry(action, scalingOut, notYet + "and fencing it off failed: " + failed(e)));
        return Optional.empty();
      }
      if (fenced.isPresent()) {
        errors.add(
            "state: read back: the write was not applied, and now cannot be: the state was stored"
                + " again unchanged (version "
                + fenced.get().version()
                + ") to fence it off; nothing else stored or changed");
        return Optional.empty();
      }
      String lost = notYet + "and a state was stored before the fence";
      if (!deadline.allows(clock.instant(), 1, worstCall)) {
        errors.add(mayCarry(action, scalingOut, lost + ", with no time left to read it"));
        return Optional.empty();
      }
      try {
        return Optional.of(store.load(target.name()));
      } catch (RuntimeException e) {
        errors.add(mayCarry(action, scalingOut, lost + ", which could not be read: " + failed(e)));
        return Optional.empty();
      }
    }

    /**
     * The error for a save whose outcome stays unknown: what its record would hold, and until when.
     */
    private String mayCarry(LastAction action, boolean scalingOut, String why) {
      return "state: the write's outcome is unknown ("
          + why
          + "): the stored state may carry this action (desired "
          + action.desired()
          + ") though its update did not run"
          + (scalingOut ? ", and start the scale-out cooldown from " + action.at() : "")
          + "; it holds the target as CONCURRENT_RUN until "
          + action.settledBy()
          + " at the latest";
    }

    /**
     * What a failed UpdateService leaves, told by what the failure proves. ECS refusing the request
     * ({@link CallFailure#rejected}: a 4xx, throttling included, on every attempt) proves it was
     * not applied: the record stored for it is taken back ({@link #undo}). Anything else (a
     * timeout, a 5xx, a connection reset) does not: the request may have reached ECS and still be
     * under way, and DescribeServices is eventually consistent, so a read that does not show the
     * new count proves nothing either (as a DynamoDB write the SDK gave up on, {@link
     * #appliedAnyway}). Such a record stands, a scale-out's cooldown with it, and its pending count
     * holds the target as CONCURRENT_RUN while a read does not show it. For no longer than a
     * request of it may still land, though: it is stored again to settle {@link
     * #UPDATE_LANDS_WITHIN} after the call gave up ({@link #settleSooner}), not a save and an
     * update at their worst after its save, which for a follow-up sample's update reaches into the
     * next invocation and would hold its first sample. One read of the service still shows an
     * update that has landed, so that the line can say so; it is only that. Each call here starts
     * only while it fits the deadline, as every other call does: past it, the record stands as it
     * is (settling within the invocation), and the line is still written in the margin kept for it.
     * The failed call is one entry in errors, with what it leaves; a call here that fails is
     * another.
     */
    private void afterFailedUpdate(
        RuntimeException failure,
        String failedUpdate,
        StoredState saved,
        StoredState before,
        LastAction action,
        boolean scalingOut) {
      Instant gaveUp = clock.instant();
      // The count may be anything now: the round after this one reads it again.
      memory.forget(service);
      if (failure instanceof CallFailure call && call.rejected()) {
        if (deadline.allows(clock.instant(), 1, worstCall)) {
          errors.add(failedUpdate);
          undo(saved, before);
        } else {
          errors.add(
              failedUpdate
                  + "; ECS refused the update, but no time is left to take its record back ("
                  + deadline.describeLeft(clock.instant())
                  + "): "
                  + recordStands(action, scalingOut));
        }
        hold(Reason.UPDATE_FAILED, Optional.of(decision.recommended()), false);
        return;
      }
      StringBuilder notes = new StringBuilder();
      Optional<ServiceSnapshot> landed = landedAnyway(action.desired(), notes);
      if (landed.isPresent()) {
        // Applied, its answer lost (a timeout after the write): the action stands, and so does
        // its record, so its cooldown runs and nothing acts on the old count. The samples after
        // it report the tasks this read saw.
        errors.add(
            failedUpdate + "; ECS shows desired " + action.desired() + ": the update was applied");
        memory.set(service, landed.get(), action, clock.instant());
        finish(decision, true);
        return;
      }
      LastAction stands = settleSooner(saved, action, gaveUp, notes);
      errors.add(
          failedUpdate
              + "; its outcome is unknown (no answer, or a server error: ECS may still apply it),"
              + " so its record stands: "
              + recordStands(stands, scalingOut)
              + notes);
      // Neither the scale (it may not happen) nor the count read before it (it may be gone):
      // the line's desired count is unknown, and no scale is announced.
      write(
          Action.HOLD,
          Reason.UPDATE_FAILED,
          Optional.of(decision.recommended()),
          Optional.empty(),
          false);
    }

    /**
     * Stores the record of an update whose outcome is unknown again, unconfirmed (with the count it
     * was decided from and its reason, so that the first sample whose read shows it landed late
     * announces it: {@link #resolve}), to settle {@link #UPDATE_LANDS_WITHIN} after the call gave
     * up (never later than it was stored to), under the same condition as every write: that no
     * cycle stored a state since {@code saved}. Its history (the cooldown, the burst start) is
     * unchanged.
     *
     * @return the record that stands: the one stored again, or the one stored before (confirmed: a
     *     late landing goes unannounced) when that write lost its race, failed or did not fit (said
     *     in {@code notes}, or in errors for a failed call)
     */
    private LastAction settleSooner(
        StoredState saved, LastAction action, Instant gaveUp, StringBuilder notes) {
      Instant sooner = gaveUp.plus(UPDATE_LANDS_WITHIN);
      Instant settles =
          !sooner.isBefore(action.settledBy())
              ? action.settledBy()
              : sooner.isBefore(action.at()) ? action.at() : sooner;
      if (!deadline.allows(clock.instant(), 1, worstCall)) {
        notes.append(
            " (no time left to store it again to settle sooner: "
                + deadline.describeLeft(clock.instant())
                + "; if it lands late, it is not announced)");
        return action;
      }
      LastAction soon =
          action
              .withTimes(action.at(), settles)
              .unconfirmedFrom(decision.current(), decision.reason());
      try {
        Optional<StoredState> stored =
            store.save(target.name(), saved.version(), saved.history(), Optional.of(soon));
        if (stored.isPresent()) {
          notes.append("; if ECS applies it later, the first sample that sees it announces it");
          return soon;
        }
        notes.append(
            " (another cycle stored a newer state first; what it stored holds the target now; if"
                + " it lands late, it is not announced)");
      } catch (RuntimeException e) {
        errors.add(
            "state: could not store the record again to settle sooner (nor to announce it if it"
                + " lands late): "
                + failed(e));
      }
      return action;
    }

    /** What a failed update's record, left stored, does to the cycles after it. */
    private String recordStands(LastAction action, boolean scalingOut) {
      return "the pending desired "
          + action.desired()
          + " holds the target as CONCURRENT_RUN while ECS does not show it, until "
          + action.settledBy()
          + (scalingOut ? ", and the scale-out cooldown runs from " + action.at() : "");
    }

    /**
     * The read after an update whose outcome is unknown, when it shows the update's count: the call
     * failed after ECS applied it. Empty when it shows another count (not applied yet, or not at
     * all), cannot be read (a failed call: its own entry in errors), or no longer fits the deadline
     * (said in {@code notes}).
     */
    private Optional<ServiceSnapshot> landedAnyway(int desired, StringBuilder notes) {
      if (!deadline.allows(clock.instant(), 1, worstCall)) {
        notes.append(
            " (no time left to read the service back: "
                + deadline.describeLeft(clock.instant())
                + ")");
        return Optional.empty();
      }
      try {
        return Optional.of(services.describe(service)).filter(read -> read.desired() == desired);
      } catch (RuntimeException unreadable) {
        errors.add("service: read back: " + describe(unreadable));
        return Optional.empty();
      }
    }

    /**
     * Takes back what an update that was not applied recorded: the scale-out time (so no cooldown
     * starts) and the action (so no cycle waits for it; the one before it stands again). A lost
     * race is reported, not ignored.
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
        errors.add("state: could not undo the recorded action: " + failed(e));
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
      this.record = recordOf(action, reason, recommended, desired);
    }

    private DecisionRecord recordOf(
        Action action, Reason reason, Optional<Integer> recommended, Optional<Integer> desired) {
      return new DecisionRecord(
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

    /** The decision as intended, before its action (for its span). */
    TargetOutcome intended() {
      DecisionRecord intended =
          recordOf(
              decision.action(),
              decision.reason(),
              Optional.of(decision.recommended()),
              Optional.of(decision.desired()));
      return TargetOutcome.ofCompleted(intended, target.problems().size(), nanos / 1_000_000);
    }
  }

  static String describe(RuntimeException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
