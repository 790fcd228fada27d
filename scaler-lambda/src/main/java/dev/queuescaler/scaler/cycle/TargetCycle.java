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
 * <p>The concurrency rule: no cycle sets a count computed from a read older than the newest stored
 * action, and no cycle writes a history older than the stored one. So the state is loaded
 * <em>before</em> the queue and the service are read and before {@code now} is taken; the next
 * state is stored only if nobody stored one since that load (a conditional write), and it carries
 * the count about to be set ({@link PendingAction}) so that a cycle loading it before the
 * UpdateService lands holds instead of acting on the old count.
 */
final class TargetCycle {

  /**
   * AWS calls one target makes at most: load, two reads (the service's own when its batch read
   * failed), save, update, and the undo of a failed update. Events go out per round.
   */
  static final int CALLS_PER_TARGET = 6;

  /** Calls still to make once the state is stored: update, and the undo if it fails. */
  static final int CALLS_AFTER_SAVE = 2;

  /**
   * How long a stored pending action is respected while no read confirms it. Longer than the gap
   * between a cycle's state write and its UpdateService can be (two calls, 15 s each at worst), so
   * only a cycle that died before acting leaves one to expire.
   */
  static final Duration PENDING_LEASE = Duration.ofSeconds(60);

  private final QueueProbe queues;
  private final ServiceScaler services;
  private final DecisionStore store;
  private final Clock clock;
  private final Duration worstCall;

  TargetCycle(
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      Clock clock,
      Duration worstCall) {
    this.queues = queues;
    this.services = services;
    this.store = store;
    this.clock = clock;
    this.worstCall = worstCall;
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
   * services a call). That read precedes this cycle's state load, which is safe: a count another
   * cycle set in between shows as its pending action, and this cycle then holds.
   */
  TargetOutcome run(
      TargetConfig target, Deadline deadline, Sample sample, Optional<ServiceReading> service) {
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
    private final Optional<ServiceReading> prefetched;
    private Instant now;
    private Optional<QueueSnapshot> queueSnapshot = Optional.empty();
    private Optional<ServiceSnapshot> serviceSnapshot = Optional.empty();
    private DecisionRecord record;
    private boolean completed;

    Attempt(TargetConfig target, Deadline deadline, Sample sample, Optional<ServiceReading> read) {
      this.target = target;
      this.sample = sample;
      this.prefetched = read;
      this.deadline = deadline;
      this.service = new ServiceRef(target.cluster(), target.service());
      this.errors = new ArrayList<>(target.problems());
      this.parameters = target.parameters().orElse(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS);
    }

    void run() {
      Optional<StoredState> state = load();
      now = clock.instant();
      Optional<Reason> unreadable = readQueueAndService();
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
      if (supersededBy(state.get(), current)) {
        hold(Reason.CONCURRENT_RUN, Optional.of(decision.recommended()), true);
        return;
      }
      if (!deadline.allows(clock.instant(), 1 + CALLS_AFTER_SAVE, worstCall)) {
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

    /** Reads both, in a fixed order: when both fail, the reason names the queue, errors both. */
    private Optional<Reason> readQueueAndService() {
      Optional<Reason> unreadable = Optional.empty();
      try {
        queueSnapshot = Optional.of(queues.read(target.queueUrl()));
      } catch (RuntimeException e) {
        errors.add("queue: " + describe(e));
        unreadable = Optional.of(Reason.QUEUE_UNREADABLE);
      }
      try {
        serviceSnapshot =
            Optional.of(
                prefetched.isPresent() ? prefetched.get().get() : services.describe(service));
      } catch (RuntimeException e) {
        errors.add("service: " + describe(e));
        unreadable = unreadable.or(() -> Optional.of(Reason.SERVICE_UNREADABLE));
      }
      return unreadable;
    }

    /**
     * Whether another cycle's stored state makes this one's inputs stale: its history is newer than
     * this cycle's clock, or it is about to set a count that the service read does not show yet.
     */
    private boolean supersededBy(StoredState state, ServiceSnapshot read) {
      if (state.newestTime().filter(newest -> newest.isAfter(now)).isPresent()) {
        return true;
      }
      return state
          .pending()
          .filter(pending -> pending.desired() != read.desired())
          .filter(pending -> pending.at().plus(PENDING_LEASE).isAfter(now))
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
      Optional<PendingAction> pending =
          decision.changesCount()
              ? Optional.of(new PendingAction(decision.desired(), now))
              : Optional.empty();
      Optional<StoredState> saved;
      try {
        saved = store.save(target.name(), state.version(), next, pending);
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
        } catch (RuntimeException e) {
          errors.add("update to desired " + decision.desired() + " failed: " + describe(e));
          undo(saved.get(), state.history());
          hold(Reason.UPDATE_FAILED, Optional.of(decision.recommended()), false);
          return;
        }
      }
      finish(decision, true);
    }

    /**
     * Takes back what a failed update recorded: the scale-out time (so no cooldown starts) and the
     * pending action (so no cycle waits for it). A lost race is reported, not ignored.
     */
    private void undo(StoredState saved, ScalingHistory before) {
      try {
        Optional<StoredState> undone =
            store.save(
                target.name(),
                saved.version(),
                saved.history().withLastScaleOutOf(before),
                Optional.empty());
        if (undone.isEmpty()) {
          errors.add(
              "state: could not undo the recorded action: another cycle stored a newer state"
                  + " first (its cooldown and pending count stand until they expire)");
        }
      } catch (RuntimeException e) {
        errors.add("state: could not undo the recorded action: " + describe(e));
      }
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
