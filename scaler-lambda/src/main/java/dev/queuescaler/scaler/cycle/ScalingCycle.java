package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.Configuration;
import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.policy.IdleChecks;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.Sample;
import dev.queuescaler.scaler.policy.ScalingParameters;
import dev.queuescaler.scaler.policy.UpdateUrgency;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One scaling cycle for every target: load the parameters and decide which configuration each
 * target runs on ({@link ConfigurationAdmission}: a change that does not validate is not applied),
 * then run each target's samples in rounds on a bounded pool, independently, so that one broken
 * target never stops the others. With a deadline, a target starts only while its calls fit in the
 * time left; the others are skipped and reported (no decision line: they did nothing).
 *
 * <p>Built once per container (it owns its thread pool); {@link #run} is called per invocation.
 */
public final class ScalingCycle implements AutoCloseable {

  /** The ports and settings a cycle runs on. */
  public record Ports(
      ParameterSource parameters,
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      DecisionEvents events,
      DecisionSink sink,
      OperatorLog log,
      Tracing tracing,
      Clock clock,
      Pause pause,
      IdleCheckTrigger checks) {

    public Ports {
      Objects.requireNonNull(parameters, "parameters");
      Objects.requireNonNull(queues, "queues");
      Objects.requireNonNull(services, "services");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(sink, "sink");
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(tracing, "tracing");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(pause, "pause");
      Objects.requireNonNull(checks, "checks");
    }

    /** The ports without a checks queue: an idle target is read by the next invocation. */
    public Ports(
        ParameterSource parameters,
        QueueProbe queues,
        ServiceScaler services,
        DecisionStore store,
        DecisionEvents events,
        DecisionSink sink,
        OperatorLog log,
        Tracing tracing,
        Clock clock,
        Pause pause) {
      this(
          parameters,
          queues,
          services,
          store,
          events,
          sink,
          log,
          tracing,
          clock,
          pause,
          IdleCheckTrigger.NONE);
    }

    /** The same ports, idle checks sent with {@code checks}. */
    public Ports withIdleChecks(IdleCheckTrigger checks) {
      return new Ports(
          parameters, queues, services, store, events, sink, log, tracing, clock, pause, checks);
    }

    /** The ports with the real pause on {@code clock}. */
    public Ports(
        ParameterSource parameters,
        QueueProbe queues,
        ServiceScaler services,
        DecisionStore store,
        DecisionEvents events,
        DecisionSink sink,
        OperatorLog log,
        Tracing tracing,
        Clock clock) {
      this(
          parameters,
          queues,
          services,
          store,
          events,
          sink,
          log,
          tracing,
          clock,
          Pause.sleeping(clock));
    }
  }

  /** Targets processed at once; API calls per target are sequential. */
  public static final int DEFAULT_PARALLELISM = 8;

  /** The worst case of one call when the caller does not say (ports without a timeout). */
  public static final Duration DEFAULT_WORST_CALL = Duration.ofSeconds(5);

  private final Ports ports;
  private final TargetCycle targetCycle;
  private final ExecutorService pool;
  private final Duration worstCall;

  /** Targets skipped for time, and how many cycles in a row: the longest-waiting go first. */
  private final WaitingTargets waiting;

  /** One acting cycle at a time, across containers and beside the CLI. */
  private final CycleLease lease;

  /** The lease a cycle without a deadline (the CLI's {@code once}) asks for. */
  static final Duration LEASE_WITHOUT_DEADLINE = Duration.ofMinutes(2);

  /**
   * The longest a check waits for the lease: a run of one target beside the function (the CLI's
   * {@code --target}) ends in seconds, and a check's filled queue would otherwise wait a minute.
   */
  static final Duration CHECK_LEASE_WAIT = Duration.ofSeconds(5);

  /** How often a waiting check asks for the lease again. */
  private static final Duration CHECK_LEASE_POLL = Duration.ofMillis(500);

  /** The longest a cycle waits for a lease that is about to end (a killed predecessor's). */
  static final Duration LEASE_WAIT = Duration.ofSeconds(10);

  /**
   * How long before the schedule's next invocation is due (this one's start plus the period) a
   * cycle stops sending events. The function has reserved concurrency 1: while this invocation
   * runs, the next is throttled, and retried late or dropped past its maximum event age
   * (docs/deploy.md), so events, which only report, must not keep it running then. What still
   * follows them: the lease's release (one DynamoDB write, tens of milliseconds), the heartbeat,
   * the response and the spans' flush (at most {@code ChosenTracer.FLUSH_TIMEOUT}, 2 s); and the
   * start this cycle counts from is its own, which came after the schedule's tick by the
   * invocation's delivery and restore (about a second). Five seconds covers these; a release or
   * heartbeat call slowed to its own timeout is not covered, as it was not before events were sent
   * at all.
   */
  static final Duration EVENTS_BEFORE_NEXT_INVOCATION = Duration.ofSeconds(5);

  /**
   * How long the events after the cycle's last acting may run past {@link
   * #EVENTS_BEFORE_NEXT_INVOCATION}'s bound, counted from when they start. That bound is where the
   * last round's actions stop starting (55 s of the deployed 98 s: the deadline less {@code
   * actingReserve()}), so a round that acts until then (docs/fleet.md's steady fleet: about 50
   * scale-ins at 45 s through the UpdateService pacer, some 9 s) leaves its events no time at all,
   * and every one would be reported as a failure on a healthy bus. PutEvents answers ten entries in
   * tens of milliseconds: three seconds send hundreds of calls' worth, and give a slow bus at least
   * two calls of SHORTEST_CALL (each call's timeout bounded by what is left). A bus that takes them
   * all so holds the function at most 3 s past where its events began: when that is after the 5 s
   * bound, the next invocation, throttled meanwhile (reserved concurrency 1), is retried by Lambda
   * (its first retries a second or so apart) seconds after its due time, well inside its maximum
   * event age; a bus that answers takes a fraction of it.
   */
  static final Duration EVENTS_TAIL_ALLOWANCE = Duration.ofSeconds(3);

  /** Which configuration each target runs on, and its last valid one. */
  private final ConfigurationAdmission admission;

  /** The services' counts as last read or set: read again only where needed. */
  private final ServiceMemory memory = new ServiceMemory();

  /** Check invocations: idle targets read between the schedule's invocations. */
  private final IdleCheckRun idleCheckRun;

  /** The idle queues' reads, by the round's last moment to act. */
  private final IdleReads idleReads;

  public ScalingCycle(Ports ports, int parallelism) {
    this(ports, parallelism, DEFAULT_WORST_CALL);
  }

  /** A cycle that remembers the waiting targets itself (one container, or a local run). */
  public ScalingCycle(Ports ports, int parallelism, Duration worstCall) {
    this(ports, parallelism, worstCall, WaitingTargets.inMemory());
  }

  /** A cycle that remembers the last valid configurations itself (one container, a local run). */
  public ScalingCycle(Ports ports, int parallelism, Duration worstCall, WaitingTargets waiting) {
    this(ports, parallelism, worstCall, waiting, ValidConfigurations.inMemory());
  }

  /**
   * @param worstCall how long one port call may take at worst (an AWS client's attempt timeout):
   *     with a deadline, a target starts only while its calls fit, at this each
   * @param waiting where the targets skipped for time are kept between cycles
   * @param configurations where each target's last valid configuration is kept between cycles
   */
  public ScalingCycle(
      Ports ports,
      int parallelism,
      Duration worstCall,
      WaitingTargets waiting,
      ValidConfigurations configurations) {
    this(ports, parallelism, worstCall, waiting, configurations, CycleLease.inProcess());
  }

  /** A cycle with its lease: one in this process, or the Lambda's and the CLI's shared one. */
  public ScalingCycle(
      Ports ports, int parallelism, Duration worstCall, WaitingTargets waiting, CycleLease lease) {
    this(ports, parallelism, worstCall, waiting, ValidConfigurations.inMemory(), lease);
  }

  /**
   * @param lease taken before a cycle reads anything, given back when it ends: the Lambda and the
   *     CLI share one in the state table
   */
  public ScalingCycle(
      Ports ports,
      int parallelism,
      Duration worstCall,
      WaitingTargets waiting,
      ValidConfigurations configurations,
      CycleLease lease) {
    this.waiting = Objects.requireNonNull(waiting, "waiting");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.admission = new ConfigurationAdmission(configurations, ports.log());
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1 but was " + parallelism);
    }
    this.ports = ports;
    this.worstCall = Objects.requireNonNull(worstCall, "worstCall");
    this.targetCycle =
        new TargetCycle(
            ports.queues(), ports.services(), ports.store(), ports.clock(), worstCall, memory);
    this.pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
    this.idleReads = new IdleReads(pool, ports.clock(), ports.tracing());
    this.idleCheckRun =
        new IdleCheckRun(
            ports.queues(), ports.log(), ports.clock(), idleReads, worstCall, this::decideChecked);
  }

  public CycleReport run(CycleRequest request) {
    return ports.tracing().cycle(() -> runLeased(request));
  }

  /**
   * A check invocation ({@link IdleCheckRun}): reads the queues of the idle targets {@code checks}
   * name, and decides those whose queue filled, by {@code deadline}; {@code period} is the
   * schedule's.
   */
  public CycleReport check(List<IdleCheck> checks, Deadline deadline, Duration period) {
    return ports.tracing().cycle(() -> idleCheckRun.run(checks, deadline, period));
  }

  /**
   * Decides {@code filled} once each, never scaling in, under the lease. The function runs one
   * invocation at a time, so a holder is nearly always the CLI beside it (a run of every target, or
   * of one) or a killed invocation's lease: the check waits for it at most {@link
   * #CHECK_LEASE_WAIT}, and no later than its deadline lets an action start; then it yields and
   * says so, for whether the holder reads these targets it cannot tell. Its deadline ends where an
   * action started {@code LATEST_BEFORE_NEXT_INVOCATION} before the next invocation would, so it
   * normally ends, and frees the lease, before that invocation.
   */
  private CycleReport decideChecked(
      Set<TargetName> filled, Deadline deadline, Instant nextInvocation) {
    Instant now = ports.clock().instant();
    CycleLease.Holder me =
        new CycleLease.Holder(
            UUID.randomUUID().toString(), deadline.at().orElse(now.plus(LEASE_WITHOUT_DEADLINE)));
    Optional<CycleLease.Holder> other;
    try {
      other = lease.tryAcquire(me, now);
      Instant giveUp = now.plus(CHECK_LEASE_WAIT);
      while (other.isPresent()
          && ports.clock().instant().plus(CHECK_LEASE_POLL).isBefore(giveUp)
          && deadline.allows(
              ports.clock().instant().plus(CHECK_LEASE_POLL),
              TargetCycle.CALLS_TO_ACT,
              worstCall)) {
        ports.pause().until(ports.clock().instant().plus(CHECK_LEASE_POLL));
        other = lease.tryAcquire(me, ports.clock().instant());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String failure = "idle check interrupted while waiting for the cycle lease, nothing changed";
      return new CycleReport(List.of(), List.of(failure));
    } catch (RuntimeException e) {
      lease.release(me);
      String failure =
          "idle check: cannot take the cycle lease, nothing changed; the next invocation reads "
              + filled
              + ": "
              + e.getMessage();
      ports.log().error(failure);
      return new CycleReport(List.of(), List.of(failure));
    }
    if (other.isPresent()) {
      ports
          .log()
          .warn(
              "idle check: cycle "
                  + other.get().id()
                  + " holds the lease until "
                  + other.get().until()
                  + " by its clock; this check changed nothing: "
                  + filled
                  + " filled and are decided by the holder if it runs every target, else by the"
                  + " next scheduled invocation");
      return new CycleReport(List.of(), List.of());
    }
    try {
      return runAll(
          new CycleRequest(Optional.empty(), false, deadline, Duration.ZERO),
          now,
          Scope.checked(filled, nextInvocation));
    } finally {
      lease.release(me);
    }
  }

  /**
   * Which targets a cycle decides, how its first sample counts, and whether it is the whole
   * scheduled cycle (which keeps the waits of the targets skipped for time).
   */
  private record Scope(
      Predicate<TargetName> targets,
      Sample first,
      boolean whole,
      Set<TargetName> checked,
      Optional<Instant> nextInvocation) {
    static final Scope ALL =
        new Scope(name -> true, Sample.FIRST_OF_INVOCATION, true, Set.of(), Optional.empty());

    /**
     * The targets an idle check found woken, {@code filled}; the schedule's next invocation is due
     * at {@code nextInvocation} (the check runs with no period of its own).
     */
    static Scope checked(Set<TargetName> filled, Instant nextInvocation) {
      return new Scope(
          filled::contains,
          Sample.IDLE_CHECK,
          false,
          Set.copyOf(filled),
          Instant.MAX.equals(nextInvocation) ? Optional.empty() : Optional.of(nextInvocation));
    }
  }

  /**
   * Runs the cycle while holding the lease: an overlapping invocation (or the CLI beside the
   * Lambda) neither reads nor acts, and reports why. A dry run changes nothing and takes none.
   */
  private CycleReport runLeased(CycleRequest request) {
    // Samples are due at offsets from the invocation's start, not from when the lease came.
    Instant now = ports.clock().instant();
    if (request.forceDryRun()) {
      return runAll(request, now);
    }
    CycleLease.Holder me =
        new CycleLease.Holder(
            UUID.randomUUID().toString(),
            request.deadline().at().orElse(now.plus(LEASE_WITHOUT_DEADLINE)));
    Optional<CycleLease.Holder> other;
    try {
      other = acquire(me, request.deadline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CycleReport(List.of(), List.of("interrupted while waiting for the cycle lease"));
    } catch (RuntimeException e) {
      // A write that was applied before the call failed may have taken it: give it back.
      lease.release(me);
      String failure = "cannot take the cycle lease, nothing read or changed: " + e.getMessage();
      ports.log().error(failure);
      return new CycleReport(List.of(), List.of(failure));
    }
    if (other.isPresent()) {
      String failure =
          "another cycle ("
              + other.get().id()
              + ") holds the lease until "
              + other.get().until()
              + " by its clock; this one read and changed nothing";
      ports.log().error(failure);
      return new CycleReport(List.of(), List.of(failure));
    }
    try {
      return runAll(request, now);
    } finally {
      lease.release(me);
    }
  }

  /** Takes the lease, waiting for one that ends within {@link #LEASE_WAIT} (and the deadline). */
  private Optional<CycleLease.Holder> acquire(CycleLease.Holder me, Deadline deadline)
      throws InterruptedException {
    Instant now = ports.clock().instant();
    Optional<CycleLease.Holder> other = lease.tryAcquire(me, now);
    if (other.isEmpty()) {
      return other;
    }
    Instant free = other.get().until().plus(CycleLease.SKEW_ALLOWANCE).plusMillis(1);
    if (free.isAfter(now.plus(LEASE_WAIT))
        || !deadline.allows(free, TargetCycle.CALLS_TO_ACT, worstCall)) {
      return other;
    }
    ports.pause().until(free);
    return lease.tryAcquire(me, ports.clock().instant());
  }

  private CycleReport runAll(CycleRequest request, Instant invoked) {
    return runAll(request, invoked, Scope.ALL);
  }

  /**
   * Names the targets a check woke that are no longer configured: a target deleted after the check
   * was sent, whose queue was kept and filled. Nothing is decided for them, and that is not a
   * failure; the prefix itself still has its other targets.
   */
  private void warnOfCheckedTargetsGone(Set<TargetName> checked, Loaded loaded) {
    Set<TargetName> found = new java.util.HashSet<>(loaded.unread().keySet());
    loaded.targets().forEach(target -> found.add(target.name()));
    loaded.held().forEach(target -> found.add(target.name()));
    List<String> gone =
        checked.stream()
            .filter(name -> !found.contains(name))
            .map(TargetName::value)
            .sorted()
            .toList();
    if (!gone.isEmpty()) {
      ports
          .log()
          .warn(
              "idle check: "
                  + String.join(", ", gone)
                  + (gone.size() == 1 ? " is" : " are")
                  + " no longer configured under "
                  + ports.parameters().describe()
                  + " (deleted after the check was sent); its queue has messages, nothing"
                  + " decided");
    }
  }

  private CycleReport runAll(CycleRequest request, Instant invoked, Scope scope) {
    Loaded loaded;
    try {
      loaded = load(request, invoked, scope.targets());
    } catch (CannotLoad e) {
      ports.log().error(e.getMessage());
      return new CycleReport(List.of(), List.of(e.getMessage()));
    }
    List<String> failures = new ArrayList<>();
    // A parameter no target can own (orders.max-tasks, orders/limits/max-tasks) is a setting the
    // operator believes in and the scaler ignores: a failure of every cycle until it is fixed.
    for (String misplaced : loaded.warnings()) {
      ports.log().error(misplaced);
      failures.add(misplaced);
    }
    for (String problem : loaded.problems()) {
      ports.log().error(problem);
      failures.add(problem);
    }
    loaded
        .unread()
        .forEach(
            (name, problem) -> {
              String failure = name + ": " + problem;
              ports.log().error(failure);
              failures.add(failure);
            });
    List<TargetOutcome> outcomes = new ArrayList<>();
    for (ConfigurationAdmission.Held held : loaded.held()) {
      outcomes.add(holdWithoutConfiguration(held, request.forceDryRun(), failures));
    }
    if (!scope.checked().isEmpty()) {
      warnOfCheckedTargetsGone(scope.checked(), loaded);
    } else if (loaded.targets().isEmpty() && loaded.held().isEmpty()) {
      ports.log().warn("no targets under " + ports.parameters().describe());
    }

    Deadline deadline = request.deadline();
    // Only a full, live cycle keeps the waits: a run for one target, or a dry run beside the
    // live function, says nothing about the others.
    boolean keepsWaits = scope.whole() && request.onlyTarget().isEmpty() && !request.forceDryRun();
    Map<TargetName, Integer> waited = keepsWaits ? loadWaits() : Map.of();
    List<TargetConfig> targets = new ArrayList<>();
    for (TargetConfig target : longestWaitingFirst(loaded.targets(), waited)) {
      targets.add(request.forceDryRun() ? target.asDryRun() : target);
    }
    List<List<TargetOutcome>> samples;
    TreeMap<Duration, List<Integer>> checksLeft = new TreeMap<>();
    Announcements announcements = new Announcements(ports.events(), ports.log(), ports.clock());
    try {
      samples =
          rounds(
              targets,
              waited,
              deadline,
              request.period(),
              invoked,
              scope.first(),
              checksLeft,
              announcements,
              failures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("interrupted");
      // Scaled, its line written: its event, never sent now, is reported like any other not sent.
      failures.addAll(announcements.interrupted());
      return new CycleReport(List.of(), failures);
    }
    if (!request.forceDryRun()) {
      sendChecks(targets, checksLeft, invoked, request.period()).ifPresent(failures::add);
    }
    Map<TargetName, Integer> skipped = new HashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      String name = targets.get(i).name().value();
      List<TargetOutcome> mine = samples.get(i);
      if (mine != null
          && (mine.isEmpty() || mine.get(0).decision().reason() == Reason.OUT_OF_TIME)) {
        TargetName late = targets.get(i).name();
        skipped.put(late, waited.getOrDefault(late, 0) + 1);
      }
      if (mine == null) {
        continue; // an unexpected error, already reported
      }
      if (mine.isEmpty()) {
        String failure =
            name
                + ": skipped: "
                + deadline.describeLeft(ports.clock().instant())
                + ", too little for its calls; it runs in the next cycle";
        if (scope.first() == Sample.IDLE_CHECK) {
          // A check's target is read by the next scheduled invocation anyway (deploy.md): a
          // warning, no alarm, and no check message to the dead-letter queue.
          ports.log().warn(failure);
        } else {
          ports.log().error(failure);
          failures.add(failure);
        }
        continue;
      }
      outcomes.addAll(mine);
      // One failure per target: a fault that lasts the minute fails each of its samples (each has
      // its line), but it is one fault for the invocation's failures and alarm.
      List<TargetOutcome> failed = mine.stream().filter(outcome -> !outcome.completed()).toList();
      if (!failed.isEmpty()) {
        DecisionRecord first = failed.get(0).decision();
        failures.add(
            name
                + ": "
                + first.reason()
                + " "
                + String.join("; ", first.errors())
                + (failed.size() > 1
                    ? " (" + failed.size() + " of its " + mine.size() + " samples failed)"
                    : ""));
      }
    }
    if (keepsWaits && !(skipped.isEmpty() && waited.isEmpty())) {
      saveWaits(skipped).ifPresent(failures::add);
    }
    // The events last: they only report, so the checks and the waits never wait for them. They end
    // by the deadline less one call at its worst and the margin, so the lease's release and the
    // heartbeat still come before the deadline (later than without events, but within it); and
    // EVENTS_BEFORE_NEXT_INVOCATION before the next scheduled invocation is due (a check's too),
    // so that one is not throttled behind them, or EVENTS_TAIL_ALLOWANCE after they start when
    // the acting ran to that bound or past it. What their time does not cover is reported, not
    // waited for.
    Optional<Instant> next =
        scope.nextInvocation().or(() -> nextInvocation(invoked, request.period()));
    Instant eventsEnd = eventsEnd(deadline, next, Optional.of(ports.clock().instant()));
    failures.addAll(announcements.sendUntil(eventsEnd));
    failures.addAll(announcements.notSent(eventsEnd));
    return new CycleReport(outcomes, failures);
  }

  /** When the schedule's next invocation is due: {@code period} after {@code invoked}, if any. */
  private static Optional<Instant> nextInvocation(Instant invoked, Duration period) {
    return period.isZero() ? Optional.empty() : Optional.of(invoked.plus(period));
  }

  /**
   * When a cycle's events stop being sent, the earlier of: one call at its worst and the margin
   * before the deadline, which leaves the lease's release its call; and {@link
   * #EVENTS_BEFORE_NEXT_INVOCATION} before {@code nextInvocation}, or, for the events after the
   * last acting, which start at {@code tailStart}, {@link #EVENTS_TAIL_ALLOWANCE} after that start
   * when later. Without a deadline or a next invocation (the CLI's {@code once}), only the other
   * bound; without both, never.
   */
  private Instant eventsEnd(
      Deadline deadline, Optional<Instant> nextInvocation, Optional<Instant> tailStart) {
    Instant byDeadline =
        deadline.at().map(end -> end.minus(Deadline.MARGIN).minus(worstCall)).orElse(Instant.MAX);
    if (nextInvocation.isEmpty()) {
      return byDeadline;
    }
    Instant beforeNext = nextInvocation.get().minus(EVENTS_BEFORE_NEXT_INVOCATION);
    if (tailStart.isPresent()) {
      Instant allowed = tailStart.get().plus(EVENTS_TAIL_ALLOWANCE);
      beforeNext = allowed.isAfter(beforeNext) ? allowed : beforeNext;
    }
    return beforeNext.isBefore(byDeadline) ? beforeNext : byDeadline;
  }

  /**
   * Sends the idle checks still due when the rounds end (every target left is idle): one check an
   * offset, each naming its targets and their queues. A failure scales nothing and fails the cycle:
   * the idle targets are then read by the next invocation.
   */
  private Optional<String> sendChecks(
      List<TargetConfig> targets,
      TreeMap<Duration, List<Integer>> next,
      Instant invoked,
      Duration period) {
    if (next.isEmpty()) {
      return Optional.empty();
    }
    // Each target's next check, and every later one of the minute.
    TreeMap<Duration, List<Integer>> left = new TreeMap<>();
    next.forEach(
        (first, indices) -> {
          for (int index : indices) {
            for (Duration offset : targets.get(index).idleChecks().offsets(period)) {
              if (offset.compareTo(first) >= 0) {
                left.computeIfAbsent(offset, o -> new ArrayList<>()).add(index);
              }
            }
          }
        });
    List<IdleCheck> checks = new ArrayList<>();
    left.forEach(
        (offset, indices) -> {
          for (int from = 0; from < indices.size(); from += TARGETS_PER_CHECK) {
            checks.add(
                new IdleCheck(
                    invoked,
                    offset,
                    indices
                        .subList(from, Math.min(indices.size(), from + TARGETS_PER_CHECK))
                        .stream()
                        .map(targets::get)
                        .map(t -> new IdleCheck.Target(t.name(), t.queueUrl(), rulesOf(t)))
                        .toList()));
          }
        });
    try {
      ports.checks().send(checks, ports.clock().instant());
      return Optional.empty();
    } catch (RuntimeException e) {
      String failure =
          "idle checks not sent, nothing scaled; idle targets are read by the next invocation: "
              + TargetCycle.describe(e);
      ports.log().error(failure);
      return Optional.of(failure);
    }
  }

  /**
   * The targets one check message names at most: 3,000 at the longest names (a 64-character target,
   * an 80-character queue) and their rules are under 900 KB, inside the checks queue's 1 MiB
   * (IdleCheckSizeTest); the trigger also splits by measured bytes, as a queue URL may be longer.
   * One message an offset matters: the function runs one invocation at a time, and a second check
   * due at once would wait, then be stale.
   */
  static final int TARGETS_PER_CHECK = 3_000;

  /** The waits, or none when they cannot be read: the order then falls back to the prefix's. */
  private Map<TargetName, Integer> loadWaits() {
    try {
      return waiting.load();
    } catch (RuntimeException e) {
      ports.log().warn("waiting targets unreadable, prefix order this cycle: " + e.getMessage());
      return Map.of();
    }
  }

  /**
   * Stores the waits; a failure fails the cycle (its alarm): the next cycle would run the old
   * order, and a target skipped again could wait longer than its turn.
   */
  private Optional<String> saveWaits(Map<TargetName, Integer> skipped) {
    try {
      waiting.save(skipped);
      return Optional.empty();
    } catch (RuntimeException e) {
      String failure =
          "waiting targets not stored, the next cycle may not run them first: "
              + TargetCycle.describe(e);
      ports.log().error(failure);
      return Optional.of(failure);
    }
  }

  /**
   * The targets in prefix order, except that those skipped for time go first, the longest-waiting
   * first: when the time allows only some targets, each waits at most ceil(targets / room) cycles,
   * and none is skipped twice in a row while another is decided twice. The waits come from {@link
   * WaitingTargets}, which the function keeps in its state table for every container.
   */
  static List<TargetConfig> longestWaitingFirst(
      List<TargetConfig> targets, Map<TargetName, Integer> waiting) {
    List<TargetConfig> ordered = new ArrayList<>(targets);
    // A stable sort: prefix order among targets that waited as long.
    ordered.sort(
        Comparator.comparingInt((TargetConfig target) -> -waiting.getOrDefault(target.name(), 0)));
    return ordered;
  }

  /**
   * Every target's decisions in this invocation, in rounds: all targets at once, then, at each
   * sample offset, the targets due then. Each round decides every due target first, then acts
   * ({@link #act}): the changes by urgency. One coordinator waits between rounds, so a waiting
   * target holds no thread; the pool only ever runs decisions and actions. A target's next sample
   * is the first offset of its own plan after its previous decision (slots missed while it waited
   * for a thread are skipped, never replayed back to back); an idle target stops until the next
   * invocation, and so does a failed one whose cause lasts ({@link FailureKind}: a denied
   * permission, a missing queue or service, an invalid configuration), while one that failed for a
   * cause that passes (throttling, a timeout, a 5xx) is sampled again at its next offset like a
   * completed one; its failure is reported once ({@link #run}), each failed sample has its line. A
   * sample starts only while its calls fit the deadline. Each target's list is empty when not even
   * its first sample could start, null after an unexpected error (reported).
   *
   * <p>An idle target with idle checks is read again at its check offsets while the rounds go on (a
   * queue read, nothing stored while it stays empty; sampled in that round once it is not, after
   * the round's due targets have acted, their scale-ins excepted: those act with the filled ones,
   * by urgency). The rounds end when only checks are left: those stay in {@code checks}, each
   * target's next.
   *
   * <p>A round's scaling decisions are announced ({@link Announcements}) while the coordinator
   * waits for the next round, each PutEvents call timing out by that round's start: a slow bus
   * costs this invocation no sample (and, its events ending before the next invocation is due, not
   * the next one either). The last round's events wait for the end of the cycle ({@link #runAll}).
   *
   * @param first how the first sample counts: a check invocation's never scales in
   */
  private List<List<TargetOutcome>> rounds(
      List<TargetConfig> targets,
      Map<TargetName, Integer> waited,
      Deadline deadline,
      Duration period,
      Instant start,
      Sample first,
      TreeMap<Duration, List<Integer>> checks,
      Announcements announcements,
      List<String> failures)
      throws InterruptedException {
    List<List<TargetOutcome>> outcomes = new ArrayList<>();
    TreeMap<Duration, List<Integer>> due = new TreeMap<>();
    for (int i = 0; i < targets.size(); i++) {
      outcomes.add(new ArrayList<>());
      due.computeIfAbsent(Duration.ZERO, offset -> new ArrayList<>()).add(i);
    }
    while (!due.isEmpty()) {
      Duration at = due.firstKey();
      if (!checks.isEmpty() && checks.firstKey().compareTo(at) < 0) {
        at = checks.firstKey();
      }
      List<Integer> dueNow = Optional.ofNullable(due.remove(at)).orElse(List.of());
      List<Integer> checked = Optional.ofNullable(checks.remove(at)).orElse(List.of());
      Instant dueAt = start.plus(at);
      Instant eventsEnd = eventsEnd(deadline, nextInvocation(start, period), Optional.empty());
      failures.addAll(announcements.sendUntil(dueAt.isBefore(eventsEnd) ? dueAt : eventsEnd));
      ports.pause().until(dueAt);
      Sample sample = at.isZero() ? first : Sample.FOLLOW_UP;
      Optional<Instant> actBy = deadline.at().map(end -> end.minus(actingReserve()));
      // The due targets decide and act first; the idle queues are read after them (a large
      // fleet's reads take seconds, which a due target's last sample cannot spare), and those that
      // filled are decided and act then, in a pass of their own, while the round's time allows.
      // The due targets' scale-ins wait for that pass when idle queues are to be read, and act
      // with it by urgency: a round with more of them than its time can start would otherwise
      // spend that time before the reads, and a queue that filled would wait for the next
      // invocation behind scale-ins that can.
      Map<Integer, TargetCycle.Pending> deferred = new TreeMap<>();
      for (int pass = 0; pass < 2; pass++) {
        List<Integer> indices =
            pass == 0
                ? dueNow
                : filledSinceIdle(
                    targets,
                    checked,
                    period,
                    start,
                    checks,
                    readBy(actBy, nextRound(at, due, deferred.keySet(), targets, period), start));
        if (indices.isEmpty() && (pass == 0 || deferred.isEmpty())) {
          continue;
        }
        boolean deferScaleIns = pass == 0 && !checked.isEmpty();
        Map.Entry<Duration, List<Integer>> round = Map.entry(at, indices);
        Map<Integer, Future<Optional<TargetCycle.Decided>>> running = new TreeMap<>();
        List<String> lineFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        // A service whose count this container read within its sweep, or set with an update still
        // settling, is not read again: its target decides on that count, and the round reads it
        // only
        // if the target would act. A settled update of its own is read in this round's batch.
        Map<Integer, BatchedRead> recalled = new HashMap<>();
        List<Integer> toRead = new ArrayList<>();
        Instant roundStart = ports.clock().instant();
        for (int index : indices) {
          memory
              .recall(serviceOf(targets.get(index)), start, roundStart)
              .ifPresentOrElse(read -> recalled.put(index, read), () -> toRead.add(index));
        }
        List<ServiceRef> refs =
            toRead.stream().map(index -> serviceOf(targets.get(index))).toList();
        List<List<Integer>> batches = readBatches(refs, ServiceScaler.SERVICES_PER_READ);
        int nextBatch = 0;
        Map<Integer, Optional<BatchedRead>> read = new HashMap<>();
        // The targets start deciding in their order (the longest-waiting first): each batch is read
        // when its first target's turn comes, and its targets decide while the coordinator reads
        // the next (paced). They act only once the whole round has decided.
        Sample passSample = pass == 0 ? sample : Sample.IDLE_CHECK;
        for (int index : indices) {
          while (!recalled.containsKey(index) && !read.containsKey(index)) {
            List<Integer> batch = batches.get(nextBatch++);
            List<ServiceRef> batchRefs = batch.stream().map(refs::get).toList();
            Instant readStarted = ports.clock().instant();
            Map<ServiceRef, ServiceReading> services = readServices(batchRefs, deadline);
            services.forEach(
                (ref, reading) ->
                    reading
                        .snapshot()
                        .ifPresent(snapshot -> memory.read(ref, snapshot, readStarted)));
            for (int position : batch) {
              read.put(
                  toRead.get(position),
                  Optional.ofNullable(services.get(refs.get(position)))
                      .map(reading -> new BatchedRead(reading, readStarted)));
            }
          }
          Optional<BatchedRead> prefetched =
              recalled.containsKey(index) ? Optional.of(recalled.get(index)) : read.get(index);
          running.put(
              index,
              submit(targets.get(index), deadline, actBy, passSample, prefetched, lineFailures));
        }
        Map<Integer, TargetOutcome> decided = new TreeMap<>();
        // The round acts once every due target has decided, or when waiting longer would leave its
        // actions no time: those decided by then act first, the later ones after them (if they
        // still can).
        Map<Integer, Future<Optional<TargetCycle.Decided>>> late = awaitDecisions(running, actBy);
        Map<Integer, TargetCycle.Pending> pending = new TreeMap<>();
        running.keySet().removeAll(late.keySet());
        collect(running, round.getKey(), targets, deadline, decided, pending, failures, outcomes);
        if (deferScaleIns) {
          deferScaleIns(pending, deferred, targets, waited);
        } else {
          pending.putAll(deferred);
          deferred.clear();
        }
        act(targets, waited, pending, deadline, lineFailures, failures, outcomes)
            .forEach(decided::put);
        if (!late.isEmpty()) {
          pending.clear();
          collect(late, round.getKey(), targets, deadline, decided, pending, failures, outcomes);
          if (deferScaleIns) {
            deferScaleIns(pending, deferred, targets, waited);
          }
          act(targets, waited, pending, deadline, lineFailures, failures, outcomes)
              .forEach(decided::put);
        }
        failures.addAll(lineFailures);
        announcements.add(decided.values());
        for (Map.Entry<Integer, TargetOutcome> entry : decided.entrySet()) {
          int index = entry.getKey();
          TargetConfig target = targets.get(index);
          TargetOutcome outcome = entry.getValue();
          outcomes.get(index).add(outcome);
          Duration decidedAt = Duration.between(start, outcome.decision().time());
          if (outcome.completed() && idle(outcome.decision())) {
            nextCheck(target, decidedAt, period)
                .ifPresent(next -> checks.computeIfAbsent(next, o -> new ArrayList<>()).add(index));
            continue; // read at its idle checks only, or by the next invocation
          }
          if (outcome.failure().filter(kind -> kind == FailureKind.LASTING).isPresent()) {
            continue; // it would fail the same way at every offset: the next invocation tries it
          }
          target.sampling().offsets(period).stream()
              .filter(offset -> offset.compareTo(decidedAt) > 0)
              .findFirst()
              .ifPresent(next -> due.computeIfAbsent(next, offset -> new ArrayList<>()).add(index));
        }
      }
    }
    return outcomes;
  }

  /**
   * What of its queue counts for {@code target}: its own rules, or, when its parameters are
   * invalid, every message (its decision then reports the configuration).
   */
  private static BacklogRules rulesOf(TargetConfig target) {
    return target
        .parameters()
        .map(ScalingParameters::backlogRules)
        .orElse(BacklogRules.COUNT_EVERYTHING);
  }

  /**
   * Moves the scale-ins of {@code pending} to {@code deferred}, to act after the idle reads; not
   * those of targets the deadline left out in earlier cycles, which go before any change that did
   * not wait ({@link UpdateUrgency}).
   */
  private static void deferScaleIns(
      Map<Integer, TargetCycle.Pending> pending,
      Map<Integer, TargetCycle.Pending> deferred,
      List<TargetConfig> targets,
      Map<TargetName, Integer> waited) {
    pending
        .entrySet()
        .removeIf(
            entry -> {
              int cyclesWaited = waited.getOrDefault(targets.get(entry.getKey()).name(), 0);
              UpdateUrgency.Claim claim = entry.getValue().claim(cyclesWaited);
              if (claim.cyclesWaited() > 0 || claim.decision().action() != Action.SCALE_IN) {
                return false;
              }
              deferred.put(entry.getKey(), entry.getValue());
              return true;
            });
  }

  /** The first idle check of {@code target} after {@code after}, within the period. */
  private static Optional<Duration> nextCheck(
      TargetConfig target, Duration after, Duration period) {
    return target.idleChecks().offsets(period).stream()
        .filter(offset -> offset.compareTo(after) > 0)
        .findFirst();
  }

  /**
   * When a round's idle reads stop: at its last moment to act, or when the next round is due,
   * whichever comes first, so that slow reads (SQS answering at its timeout) start none past
   * either. Reads already running keep their threads until answered (at most a call's timeout).
   */
  private static Optional<Instant> readBy(
      Optional<Instant> actBy, Optional<Duration> nextRound, Instant start) {
    if (nextRound.isEmpty()) {
      return actBy;
    }
    Instant next = start.plus(nextRound.get());
    return Optional.of(actBy.filter(by -> by.isBefore(next)).orElse(next));
  }

  /**
   * The offset of the round after the one at {@code at}: the first of {@code due}, or of the next
   * samples of the targets whose scale-ins wait for this round's idle reads (not in {@code due}
   * until they act).
   */
  private static Optional<Duration> nextRound(
      Duration at,
      TreeMap<Duration, List<Integer>> due,
      Set<Integer> waitingToAct,
      List<TargetConfig> targets,
      Duration period) {
    Optional<Duration> nextDue = due.isEmpty() ? Optional.empty() : Optional.of(due.firstKey());
    Optional<Duration> nextOfWaiting =
        waitingToAct.stream()
            .flatMap(index -> targets.get(index).sampling().offsets(period).stream())
            .filter(offset -> offset.compareTo(at) > 0)
            .min(Comparator.naturalOrder());
    return Stream.of(nextDue, nextOfWaiting)
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  /**
   * The idle targets {@code checked} whose queue is no longer empty, read on the pool (one
   * GetQueueAttributes each); the others are put back in {@code checks} at their next offset. A
   * queue that cannot be read counts as filled: its sample reads it again and reports the failure.
   * From {@code readBy} on nothing is read or waited for ({@link #readBy}): the targets wait for
   * their next check, or the next invocation ({@link IdleReads}).
   */
  private List<Integer> filledSinceIdle(
      List<TargetConfig> targets,
      List<Integer> checked,
      Duration period,
      Instant start,
      TreeMap<Duration, List<Integer>> checks,
      Optional<Instant> readBy)
      throws InterruptedException {
    Instant readStart = ports.clock().instant();
    if (readBy.filter(by -> !readStart.isBefore(by)).isPresent()) {
      for (int index : checked) {
        nextCheck(targets.get(index), Duration.between(start, readStart), period)
            .ifPresent(next -> checks.computeIfAbsent(next, o -> new ArrayList<>()).add(index));
      }
      return List.of();
    }
    Map<Integer, BooleanSupplier> reads = new LinkedHashMap<>();
    for (int index : checked) {
      String queueUrl = targets.get(index).queueUrl();
      BacklogRules rules = rulesOf(targets.get(index));
      reads.put(index, () -> IdleChecks.stillIdle(rules, ports.queues().read(queueUrl)));
    }
    Instant cutoff = readBy.orElse(Instant.MAX);
    Map<Integer, IdleReads.Read> found = idleReads.read(reads, cutoff);
    List<Integer> filled = new ArrayList<>();
    int notRead = 0;
    for (Map.Entry<Integer, IdleReads.Read> read : found.entrySet()) {
      IdleReads.Found what = read.getValue().found();
      if (what == IdleReads.Found.FILLED || what == IdleReads.Found.FAILED) {
        filled.add(read.getKey());
        continue;
      }
      if (what == IdleReads.Found.NOT_READ) {
        notRead++;
      }
      Duration now = Duration.between(start, ports.clock().instant());
      nextCheck(targets.get(read.getKey()), now, period)
          .ifPresent(
              next -> checks.computeIfAbsent(next, o -> new ArrayList<>()).add(read.getKey()));
    }
    if (notRead > 0) {
      ports
          .log()
          .warn(
              "idle checks: "
                  + notRead
                  + " of "
                  + checked.size()
                  + " idle queue(s) not read by "
                  + cutoff
                  + ", when the next round is due or the round's last moment to act (SQS slow to"
                  + " answer, or too many to read in time); their next check or the next"
                  + " invocation reads them");
    }
    return filled;
  }

  /**
   * How long before the deadline a round stops waiting for its decisions and acts: one action's
   * calls at their worst, the margin, and {@link #ACT_LEAD} for the turns before it.
   */
  private Duration actingReserve() {
    return worstCall.multipliedBy(TargetCycle.CALLS_TO_ACT).plus(Deadline.MARGIN).plus(ACT_LEAD);
  }

  /** The time a round's ordered actions get to start before the last moment one may start. */
  static final Duration ACT_LEAD = Duration.ofSeconds(1);

  /** How often the coordinator looks at the clock while it waits for a round's decisions. */
  private static final long DECISION_POLL_MILLIS = 20;

  /**
   * Waits for the decisions until all are done or the clock (the cycle's, which tests drive)
   * reaches {@code until}; returns those not done by then.
   */
  private Map<Integer, Future<Optional<TargetCycle.Decided>>> awaitDecisions(
      Map<Integer, Future<Optional<TargetCycle.Decided>>> decisions, Optional<Instant> until)
      throws InterruptedException {
    for (Future<Optional<TargetCycle.Decided>> decision : decisions.values()) {
      while (!decision.isDone()) {
        if (until.isPresent() && !ports.clock().instant().isBefore(until.get())) {
          Map<Integer, Future<Optional<TargetCycle.Decided>>> late = new TreeMap<>();
          decisions.forEach(
              (index, future) -> {
                if (!future.isDone()) {
                  late.put(index, future);
                }
              });
          return late;
        }
        try {
          decision.get(DECISION_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // an error is collected with its target; a decision not done yet is waited for again
        }
      }
    }
    return Map.of();
  }

  /**
   * Takes the round's decisions: each target's outcome, or its pending action; a sample that did
   * not start is logged, an unexpected error reported and its outcomes set to null.
   */
  private void collect(
      Map<Integer, Future<Optional<TargetCycle.Decided>>> decisions,
      Duration offset,
      List<TargetConfig> targets,
      Deadline deadline,
      Map<Integer, TargetOutcome> decided,
      Map<Integer, TargetCycle.Pending> pending,
      List<String> failures,
      List<List<TargetOutcome>> outcomes)
      throws InterruptedException {
    for (Map.Entry<Integer, Future<Optional<TargetCycle.Decided>>> run : decisions.entrySet()) {
      int index = run.getKey();
      TargetConfig target = targets.get(index);
      try {
        Optional<TargetCycle.Decided> outcome = run.getValue().get();
        outcome.flatMap(TargetCycle.Decided::outcome).ifPresent(d -> decided.put(index, d));
        outcome.flatMap(TargetCycle.Decided::pending).ifPresent(p -> pending.put(index, p));
        if (outcome.isEmpty() && !offset.isZero()) {
          ports
              .log()
              .warn(
                  target.name().value()
                      + ": sample at "
                      + offset.toSeconds()
                      + " s skipped: "
                      + deadline.describeLeft(ports.clock().instant())
                      + ", too little to act; its earlier decision this minute stands");
        }
      } catch (ExecutionException e) {
        String failure = target.name().value() + ": unexpected error: " + e.getCause();
        ports.log().error(failure);
        failures.add(failure);
        outcomes.set(index, null);
      }
    }
  }

  /**
   * Submits the first half of one sample of a target to the pool; the line of a target that decided
   * without acting is written as soon as it is done.
   */
  private Future<Optional<TargetCycle.Decided>> submit(
      TargetConfig target,
      Deadline deadline,
      Optional<Instant> actBy,
      Sample sample,
      Optional<BatchedRead> read,
      List<String> lineFailures) {
    return pool.submit(
        ports
            .tracing()
            .carryOver(
                () -> {
                  // If the Lambda is killed later in the round, what was decided is reported.
                  Optional<TargetCycle.Decided> decided =
                      sample(target, deadline, actBy, sample, read);
                  decided
                      .flatMap(TargetCycle.Decided::outcome)
                      .ifPresent(outcome -> writeLine(outcome, lineFailures));
                  return decided;
                }));
  }

  /**
   * The round's actions: the targets that would change their count on a remembered one read their
   * services together, ten of a cluster per call, and decide again on what they show (one whose
   * count is already where it wanted it ends there, as a decision that keeps it); then every change
   * stores and starts its update in order of {@link UpdateUrgency}, one turn at a time, so that the
   * update pacer's slots go to the most urgent first and what the deadline leaves out is the least
   * urgent. Returns each target's outcome, its line written; a target whose action failed
   * unexpectedly is reported and its outcomes set to null.
   */
  private Map<Integer, TargetOutcome> act(
      List<TargetConfig> targets,
      Map<TargetName, Integer> waited,
      Map<Integer, TargetCycle.Pending> pending,
      Deadline deadline,
      List<String> lineFailures,
      List<String> failures,
      List<List<TargetOutcome>> outcomes)
      throws InterruptedException {
    Map<Integer, TargetOutcome> acted = new TreeMap<>();
    List<Integer> toRead = new ArrayList<>();
    for (Map.Entry<Integer, TargetCycle.Pending> entry : pending.entrySet()) {
      if (entry.getValue().needsRead()) {
        toRead.add(entry.getKey());
      }
    }
    List<ServiceRef> refs = toRead.stream().map(index -> pending.get(index).service()).toList();
    for (List<Integer> batch : readBatches(refs, ServiceScaler.SERVICES_PER_READ)) {
      List<ServiceRef> batchRefs = batch.stream().map(refs::get).toList();
      Instant readStarted = ports.clock().instant();
      Map<ServiceRef, ServiceReading> services = readServices(batchRefs, deadline);
      services.forEach(
          (ref, reading) ->
              reading.snapshot().ifPresent(read -> memory.read(ref, read, readStarted)));
      for (int position : batch) {
        int index = toRead.get(position);
        // Not in the batch (no time for it, or the batch broke): the target reads its own.
        Optional.ofNullable(services.get(refs.get(position)))
            .flatMap(reading -> pending.get(index).reread(reading))
            .ifPresent(
                decidedWithoutActing -> {
                  pending.remove(index);
                  writeLine(decidedWithoutActing, lineFailures);
                  acted.put(index, decidedWithoutActing);
                });
      }
    }
    List<Integer> order = new ArrayList<>(pending.keySet());
    order.sort(
        Comparator.comparing(
            (Integer index) ->
                pending.get(index).claim(waited.getOrDefault(targets.get(index).name(), 0)),
            UpdateUrgency.MOST_URGENT_FIRST));
    ActingOrder turns = new ActingOrder();
    Map<Integer, Future<TargetOutcome>> running = new TreeMap<>();
    // The pool takes its tasks in this order, so a turn is never waited for by a task that holds
    // a thread the earlier turn needs.
    for (int index : order) {
      TargetCycle.Pending action = pending.get(index);
      TargetCycle.Turn turn = turns.next();
      running.put(
          index,
          pool.submit(
              ports
                  .tracing()
                  .carryOver(
                      () -> {
                        TargetOutcome outcome = ports.tracing().act(() -> action.act(turn));
                        writeLine(outcome, lineFailures);
                        return outcome;
                      })));
    }
    for (Map.Entry<Integer, Future<TargetOutcome>> run : running.entrySet()) {
      int index = run.getKey();
      try {
        acted.put(index, run.getValue().get());
      } catch (ExecutionException e) {
        String failure = targets.get(index).name().value() + ": unexpected error: " + e.getCause();
        ports.log().error(failure);
        failures.add(failure);
        outcomes.set(index, null);
      }
    }
    return acted;
  }

  /**
   * The positions of {@code refs} grouped into reads of at most {@code size} services of one
   * cluster, each read ordered by its first service's position: the order of the targets (those
   * skipped last cycle first) is kept, and a service alone in its cluster is read in its place, not
   * after the full batches.
   */
  static List<List<Integer>> readBatches(List<ServiceRef> refs, int size) {
    Map<String, List<Integer>> open = new HashMap<>();
    TreeMap<Integer, List<Integer>> byFirst = new TreeMap<>();
    for (int position = 0; position < refs.size(); position++) {
      List<Integer> batch = open.get(refs.get(position).cluster());
      if (batch == null || batch.size() == size) {
        batch = new ArrayList<>();
        open.put(refs.get(position).cluster(), batch);
        byFirst.put(position, batch);
      }
      batch.add(position);
    }
    return new ArrayList<>(byFirst.values());
  }

  /**
   * One batch of a round's services in one read (ten of a cluster per DescribeServices call), when
   * there is time for the batch's targets; otherwise none, and each target reads its own if it
   * still starts.
   */
  private Map<ServiceRef, ServiceReading> readServices(List<ServiceRef> refs, Deadline deadline) {
    // Budgeted like a sample: a slow read ends in OUT_OF_TIME before anything is stored.
    if (!deadline.allows(ports.clock().instant(), TargetCycle.CALLS_TO_ACT, worstCall)) {
      return Map.of();
    }
    try {
      return ports.services().describeAll(refs);
    } catch (RuntimeException e) {
      // A broken batch must not fail the round: each target then reads its own service.
      ports.log().error("batched service read failed, each target reads its own: " + e);
      return Map.of();
    }
  }

  private static ServiceRef serviceOf(TargetConfig target) {
    return new ServiceRef(target.cluster(), target.service());
  }

  /**
   * The first half of one sample of one target; empty when even acting on it at once would not fit,
   * or its round has stopped waiting for decisions ({@code actBy}): a sample still queued for a
   * thread then does not hold up the round's actions (its reads are not budgeted: a slow read ends
   * in OUT_OF_TIME before anything is stored). Its span is annotated with the decision, or for a
   * target that will act, with the action it intends; the action in its turn has a span of its own.
   */
  private Optional<TargetCycle.Decided> sample(
      TargetConfig target,
      Deadline deadline,
      Optional<Instant> actBy,
      Sample sample,
      Optional<BatchedRead> service) {
    Instant now = ports.clock().instant();
    if (!deadline.allows(now, TargetCycle.CALLS_TO_ACT, worstCall)
        || actBy.filter(by -> !now.isBefore(by)).isPresent()) {
      return Optional.empty();
    }
    List<TargetCycle.Decided> decided = new ArrayList<>(1);
    ports
        .tracing()
        .decide(
            () -> {
              decided.add(targetCycle.decide(target, deadline, sample, service));
              return decided
                  .get(0)
                  .outcome()
                  .orElseGet(() -> decided.get(0).pending().orElseThrow().intended());
            });
    return Optional.of(decided.get(0));
  }

  /** Writes one target's decision line; a sink that fails is reported, never fatal. */
  private void writeLine(TargetOutcome outcome, List<String> failures) {
    try {
      ports.sink().accept(outcome);
    } catch (RuntimeException e) {
      String failure = outcome.decision().target() + ": decision line not written: " + e;
      ports.log().error(failure);
      failures.add(failure);
    }
  }

  /** The queue is empty and no task is wanted: dense sampling would only cost Lambda time. */
  private static boolean idle(DecisionRecord decision) {
    return decision.backlog().filter(b -> b == 0).isPresent()
        && decision.current().filter(c -> c == 0).isPresent()
        && decision.desired().filter(d -> d == 0).isPresent();
  }

  /**
   * What a cycle runs on.
   *
   * @param targets the targets with a configuration in force
   * @param held the targets without one
   * @param unread each target whose latest change could not be read, with the problem reported
   * @param warnings parameters that belong to no target
   * @param problems what went wrong while reading the parameters, for no one target
   */
  private record Loaded(
      List<TargetConfig> targets,
      List<ConfigurationAdmission.Held> held,
      Map<TargetName, String> unread,
      List<String> warnings,
      List<String> problems) {}

  /** The longest an invocation reads parameters before it decides, from its start. */
  static final Duration READ_BUDGET = Duration.ofSeconds(40);

  /**
   * The time an invocation keeps for deciding after reading parameters: a round of service reads
   * and the first actions of a fleet (at 1,000 targets, 100 paced DescribeServices calls take about
   * 5 s) with room for their worst cases.
   */
  static final Duration DECIDING_RESERVE = Duration.ofSeconds(45);

  /**
   * Until when parameters are read: {@link #READ_BUDGET} after the start and {@link
   * #DECIDING_RESERVE} before the deadline, whichever comes first; without a deadline (the CLI, a
   * local run) as long as a read takes.
   */
  static Instant readUntil(Instant invoked, Deadline deadline) {
    return deadline
        .at()
        .map(
            end -> {
              Instant budget = invoked.plus(READ_BUDGET);
              Instant reserve = end.minus(DECIDING_RESERVE);
              return budget.isBefore(reserve) ? budget : reserve;
            })
        .orElse(Instant.MAX);
  }

  private Loaded load(CycleRequest request, Instant invoked, Predicate<TargetName> scope)
      throws CannotLoad {
    ParameterSource.Reading raw;
    try {
      Instant until = readUntil(invoked, request.deadline());
      // A dry run changes nothing, the stored read model included: it may run beside the function.
      raw =
          request.forceDryRun()
              ? ports.parameters().readOnly(until)
              : ports.parameters().read(until);
    } catch (RuntimeException e) {
      throw new CannotLoad(
          "cannot read parameters under "
              + ports.parameters().describe()
              + ": "
              + TargetCycle.describe(e));
    }
    Configuration all = ConfigurationParser.parse(raw.values());
    // Every target is admitted, even for a run of one: whether a target's service is another's
    // depends on them all.
    ConfigurationAdmission.Admitted admitted =
        admission.admit(all, ports.clock().instant(), !request.forceDryRun());
    Predicate<TargetName> wanted =
        name -> scope.test(name) && request.onlyTarget().map(name::equals).orElse(true);
    Map<TargetName, String> unread = new TreeMap<>(Comparator.comparing(TargetName::value));
    raw.unread()
        .forEach(
            (name, why) -> {
              if (wanted.test(name)) {
                unread.put(name, unreadProblem(why));
              }
            });
    List<TargetConfig> targets = new ArrayList<>();
    for (TargetConfig target : admitted.targets()) {
      if (wanted.test(target.name())) {
        targets.add(
            target.withProblems(Optional.ofNullable(unread.get(target.name())).stream().toList()));
      }
    }
    List<ConfigurationAdmission.Held> held = new ArrayList<>();
    for (ConfigurationAdmission.Held target : admitted.held()) {
      if (wanted.test(target.name())) {
        List<String> problems = new ArrayList<>(target.problems());
        Optional.ofNullable(unread.get(target.name())).ifPresent(problems::add);
        held.add(new ConfigurationAdmission.Held(target.name(), problems));
      }
    }
    if (request.onlyTarget().isPresent() && targets.isEmpty() && held.isEmpty()) {
      throw new CannotLoad(
          "target "
              + request.onlyTarget().get()
              + " not found under "
              + ports.parameters().describe());
    }
    return new Loaded(targets, held, unread, all.warnings(), raw.problems());
  }

  /**
   * The line of a target without a configuration in force: it holds, reads nothing (its queue or
   * service may be what is wrong), and counts as failed, since it cannot run at all.
   */
  private TargetOutcome holdWithoutConfiguration(
      ConfigurationAdmission.Held held, boolean dryRun, List<String> failures) {
    DecisionRecord decision =
        new DecisionRecord(
            held.name().value(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Action.HOLD,
            Reason.CONFIG_INVALID,
            dryRun,
            held.problems(),
            ports.clock().instant());
    TargetOutcome outcome =
        new TargetOutcome(decision, Optional.of(FailureKind.LASTING), held.problems().size(), 0);
    String failure =
        held.name() + ": " + Reason.CONFIG_INVALID + " " + String.join("; ", held.problems());
    ports.log().error(failure);
    failures.add(failure);
    try {
      ports.sink().accept(outcome);
    } catch (RuntimeException e) {
      String notWritten = held.name() + ": decision line not written: " + e;
      ports.log().error(notWritten);
      failures.add(notWritten);
    }
    return outcome;
  }

  /** The error of a target whose latest parameter change could not be read. */
  private static String unreadProblem(String why) {
    return "parameters: its latest change could not be read ("
        + why
        + "); the values read before stay in force, and it is read again next cycle";
  }

  /** The cycle cannot even start: no parameters, or the requested target does not exist. */
  private static final class CannotLoad extends Exception {
    private static final long serialVersionUID = 1L;

    CannotLoad(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "scaler-target-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
