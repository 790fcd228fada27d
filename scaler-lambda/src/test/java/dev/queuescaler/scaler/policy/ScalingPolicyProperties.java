package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/** The policy's invariants, over generated parameters, queues, fleets and histories. */
class ScalingPolicyProperties {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  /** Both formulas, with and without a scale-to-zero delay. */
  @Provide
  Arbitrary<ScalingParameters> parameters() {
    Arbitrary<Optional<LoadTerm>> load =
        Combinators.combine(
                Arbitraries.integers().between(1, 100), Arbitraries.integers().between(1, 200))
            .as(LoadTerm::new)
            .optional();
    return Combinators.combine(
            backlogParameters(),
            load,
            Arbitraries.integers().between(0, 900),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (p, term, zeroDelay, whenDrained, betweenBursts, afterLongPauses) -> {
              ScalingParameters withDelay =
                  p.withScaleToZeroDelay(Duration.ofSeconds(zeroDelay))
                      .withScaleInWhenDrained(whenDrained)
                      .withScaleInBetweenBursts(betweenBursts)
                      .withScaleInAfterLongPauses(afterLongPauses);
              return term.map(withDelay::withLoad).orElse(withDelay);
            });
  }

  private Arbitrary<ScalingParameters> backlogParameters() {
    Arbitrary<Integer> min = Arbitraries.integers().between(0, 20);
    Arbitrary<Integer> extra = Arbitraries.integers().between(0, 200);
    return Combinators.combine(
            min,
            extra,
            Arbitraries.integers().between(1, 1_000),
            Arbitraries.integers().between(1, 50),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 600),
            Arbitraries.integers().between(0, 900),
            Arbitraries.integers().between(0, 5))
        .as(
            (lo, more, perTask, activation, inFlight, cooldown, window, step) ->
                new ScalingParameters(
                    lo,
                    Math.max(1, lo + more),
                    perTask,
                    activation,
                    inFlight,
                    !inFlight,
                    Duration.ofSeconds(cooldown),
                    Duration.ofSeconds(window),
                    step,
                    step,
                    step * 5)); // tolerance 0-25 %
  }

  @Provide
  Arbitrary<ScalingHistory> histories() {
    Arbitrary<Recommendation> recommendation =
        Combinators.combine(
                Arbitraries.integers().between(1, 1_200), Arbitraries.integers().between(0, 300))
            .as((secondsAgo, tasks) -> new Recommendation(NOW.minusSeconds(secondsAgo), tasks))
            .flatMap(
                r ->
                    Arbitraries.longs()
                        .between(0, 10_000)
                        .optional()
                        .map(
                            inFlight ->
                                new Recommendation(
                                    r.at(),
                                    r.tasks(),
                                    inFlight.map(OptionalLong::of).orElse(OptionalLong.empty()))));
    Arbitrary<Optional<Instant>> lastScaleOut =
        Arbitraries.integers().between(1, 1_200).map(s -> NOW.minusSeconds(s)).optional();
    return Combinators.combine(
            recommendation.list().ofMaxSize(20), lastScaleOut, burstStarts(), pauses())
        .as(ScalingHistory::new);
  }

  /**
   * None half the time, else three pauses of 31 s to 40 minutes, spread evenly (not biased towards
   * the short end) so that long, short and mixed patterns all come.
   */
  @Provide
  Arbitrary<Pauses> pauses() {
    Arbitrary<Pauses> three =
        Arbitraries.integers()
            .between(31, 2_400)
            .withDistribution(RandomDistribution.uniform())
            .map(Duration::ofSeconds)
            .list()
            .ofSize(Pauses.KEPT)
            .map(recent -> new Pauses(Optional.empty(), recent));
    return Arbitraries.oneOf(Arbitraries.just(Pauses.NONE), three);
  }

  /**
   * None, any four, or four at a period of 2-10 minutes whose gaps differ by up to 40 s, the last
   * up to 15 minutes ago: so that the rule between periodic bursts is reached and missed.
   */
  @Provide
  Arbitrary<List<Instant>> burstStarts() {
    Arbitrary<Instant> anyStart =
        Arbitraries.integers().between(1, 3_600).map(s -> NOW.minusSeconds(s));
    Arbitrary<List<Instant>> periodic =
        Combinators.combine(
                Arbitraries.integers().between(1, 900),
                Arbitraries.integers().between(120, 600),
                Arbitraries.integers().between(-40, 40),
                Arbitraries.integers().between(-40, 40))
            .as(
                (lastAgo, period, firstJitter, secondJitter) -> {
                  long third = lastAgo + period;
                  long second = third + period + secondJitter;
                  return List.of(
                      NOW.minusSeconds(second + period + firstJitter),
                      NOW.minusSeconds(second),
                      NOW.minusSeconds(third),
                      NOW.minusSeconds(lastAgo));
                });
    return Arbitraries.oneOf(
        Arbitraries.just(List.of()), anyStart.list().ofMaxSize(4), periodic, periodic);
  }

  @Provide
  Arbitrary<QueueSnapshot> queues() {
    Arbitrary<Long> count =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.longs().between(0, Long.MAX_VALUE));
    return Combinators.combine(count, count, count).as(QueueSnapshot::new);
  }

  @Property
  void desiredStaysWithinMinAndMax(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(current, current, 0), history, NOW);

    assertThat(decision.desired()).isBetween(p.minTasks(), p.maxTasks());
  }

  @Property
  void recommendationIsMonotoneInBacklog(
      @ForAll("parameters") ScalingParameters p,
      @ForAll @LongRange(min = 0, max = 1_000_000) long visible,
      @ForAll @LongRange(min = 0, max = 1_000_000) long more,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    ServiceSnapshot service = new ServiceSnapshot(current, current, 0);
    Decision fewer =
        ScalingPolicy.decide(p, new QueueSnapshot(visible, 0, 0), service, history, NOW);
    Decision moreBacklog =
        ScalingPolicy.decide(p, new QueueSnapshot(visible + more, 0, 0), service, history, NOW);

    assertThat(moreBacklog.recommended()).isGreaterThanOrEqualTo(fewer.recommended());
    assertThat(moreBacklog.desired()).isGreaterThanOrEqualTo(fewer.desired());
  }

  @Property
  void neverScalesInBelowARecommendationInsideTheWindow(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(current, current, 0), history, NOW);

    if (decision.action() == Action.SCALE_IN
        && decision.reason() != Reason.MAX_TASKS
        && !drainedForAMinute(p, queue, history)
        && !drainedAfterLongPauses(p, queue, history)
        && !emptyBetweenPeriodicBursts(p, queue, history)) {
      int windowHighest =
          history.highestRecommendationWithin(p.scaleInStabilization(), NOW).orElse(0);
      assertThat(decision.desired())
          .isGreaterThanOrEqualTo(Math.min(current, Math.min(windowHighest, p.maxTasks())));
    }
  }

  /** The only way past the window besides max-tasks: a queue with nothing to do for a minute. */
  @Property
  void aDrainedScaleInNeedsAMinuteWithNothingVisibleInFlightOrDelayed(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("drainedOrNot") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("quietLately") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(current, current, 0), history, NOW);

    if (decision.reason() == Reason.DRAINED) {
      assertThat(drainedForAMinute(p, queue, history)).isTrue();
      assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
      assertThat(decision.desired()).isLessThan(current).isGreaterThanOrEqualTo(p.minTasks());
    }
  }

  /**
   * The way past the window and the delay to zero: a drained queue whose recent pauses mostly
   * outlasted the delay. The coverage check fails the build if the generator stops reaching it.
   */
  @Property
  void afterLongPausesATaskStopsAtOnceOnlyOnADrainedQueue(
      @ForAll("pauseParameters") ScalingParameters p,
      @ForAll("mostlyEmpty") QueueSnapshot queue,
      @ForAll @IntRange(min = 1, max = 60) int current,
      @ForAll("quietAfterPauses") ScalingHistory history,
      @ForAll("mostlyFirst") Sample sample) {
    Assume.that(p.minTasks() < p.maxTasks());
    // A fleet above min-tasks and within max-tasks: there is something to release.
    int fleet = Math.max(p.minTasks() + 1, Math.min(current, p.maxTasks()));
    Decision decision =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(fleet, fleet, 0), history, NOW, sample);

    boolean released = decision.reason() == Reason.LONG_PAUSES;
    Statistics.label("released").collect(released);
    Statistics.label("released")
        .coverage(coverage -> coverage.check(true).percentage(percent -> percent >= 2));
    if (released) {
      assertThat(drainedAfterLongPauses(p, queue, history)).isTrue();
      assertThat(sample).isNotEqualTo(Sample.IDLE_CHECK);
      assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
      assertThat(decision.desired()).isEqualTo(p.minTasks());
    }
    // And the other way: on an invocation's first sample, without a step, a drained queue after
    // mostly long pauses is released to min-tasks, past the window and the delay.
    double demand =
        ScalingPolicy.demand(
            p, 0, history.averageInFlight(LoadTerm.STABLE_WINDOW, NOW, queue.inFlight()));
    boolean mustRelease =
        sample == Sample.FIRST_OF_INVOCATION
            && p.maxScaleInStep() == 0
            && demand == 0
            && drainedAfterLongPauses(p, queue, history);
    Statistics.label("must release").collect(mustRelease);
    Statistics.label("must release")
        .coverage(coverage -> coverage.check(true).percentage(percent -> percent >= 1));
    if (mustRelease) {
      assertThat(decision.desired()).isEqualTo(p.minTasks());
    }
  }

  /**
   * The other way past the window, on histories that reach it: the generic histories almost never
   * have four starts at one period, a scale-out after the last and a quiet newest sample at once
   * (about once in 100,000 draws). The coverage check fails the build if the generator stops
   * reaching the release.
   */
  @Property
  void betweenPeriodicBurstsAFleetIsReleasedOnlyByTheRule(
      @ForAll("lullParameters") ScalingParameters p,
      @ForAll("mostlyEmpty") QueueSnapshot queue,
      @ForAll @IntRange(min = 1, max = 60) int current,
      @ForAll("lulls") ScalingHistory history,
      @ForAll Sample sample) {
    Decision decision =
        ScalingPolicy.decide(
            p, queue, new ServiceSnapshot(current, current, 0), history, NOW, sample);

    boolean released = decision.reason() == Reason.BETWEEN_BURSTS;
    Statistics.label("released").collect(released);
    Statistics.label("released")
        .coverage(coverage -> coverage.check(true).percentage(percent -> percent >= 3));
    if (released) {
      assertThat(emptyBetweenPeriodicBursts(p, queue, history)).isTrue();
      assertThat(sample).isNotEqualTo(Sample.IDLE_CHECK);
      assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
      assertThat(decision.desired()).isLessThan(current).isGreaterThanOrEqualTo(p.minTasks());
    }
  }

  /**
   * The generated parameters with the key on, and half the time no scale-out cooldown, half the
   * time no scale-in step (a step-limited release is reported as STEP_LIMIT), half the time a
   * window that holds the last burst (else there is nothing to release past).
   */
  @Provide
  Arbitrary<ScalingParameters> lullParameters() {
    return Combinators.combine(
            parameters(),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (p, noCooldown, noStep, longWindow) ->
                changed(
                        p,
                        p.minTasks(),
                        noCooldown ? Duration.ZERO : p.scaleOutCooldown(),
                        longWindow ? Duration.ofSeconds(900) : p.scaleInStabilization(),
                        noStep ? 0 : p.maxScaleInStep())
                    .withScaleInBetweenBursts(true)
                    .withScaleInAfterLongPauses(false));
  }

  /**
   * The generated parameters with scale-in-after-long-pauses on, and half the time no scale-in step
   * (a step-limited release is reported as STEP_LIMIT), half the time a window that holds the last
   * batch, half the time no min-tasks (else no delay to zero applies); scale-in-when-drained off,
   * its default (with it on, the window is DRAINED's to release: ScaleInAfterLongPausesTest).
   */
  @Provide
  Arbitrary<ScalingParameters> pauseParameters() {
    return Combinators.combine(
            parameters(),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (p, noStep, longWindow, noMinimum) ->
                changed(
                        p,
                        noMinimum ? 0 : p.minTasks(),
                        p.scaleOutCooldown(),
                        longWindow ? Duration.ofSeconds(600) : p.scaleInStabilization(),
                        noStep ? 0 : p.maxScaleInStep())
                    .withScaleInWhenDrained(false)
                    .withScaleInAfterLongPauses(true));
  }

  /** {@code p} with the fields the lull and pause providers vary, every other field as it was. */
  private static ScalingParameters changed(
      ScalingParameters p, int minTasks, Duration cooldown, Duration window, int inStep) {
    return new ScalingParameters(
        minTasks,
        p.maxTasks(),
        p.backlogPerTask(),
        p.activationBacklog(),
        p.countInFlight(),
        p.countDelayed(),
        cooldown,
        window,
        p.maxScaleOutStep(),
        inStep,
        p.tolerancePercent(),
        p.scaleToZeroDelay(),
        p.scaleInWhenDrained(),
        p.scaleInBetweenBursts(),
        p.scaleInAfterLongPauses(),
        p.load());
  }

  /**
   * A quiet-lately history with three pauses (long, short or mixed against the delay), and a batch
   * worked off 15-240 s before its quiet newest sample, which the window or the delay would hold.
   */
  @Provide
  Arbitrary<ScalingHistory> quietAfterPauses() {
    return Combinators.combine(
            quietLately(),
            pauses().filter(p -> !p.recent().isEmpty()),
            Arbitraries.integers().between(15, 240),
            Arbitraries.integers().between(1, 60))
        .as(
            (history, pauses, batchBefore, batchTasks) -> {
              List<Recommendation> entries = new ArrayList<>(history.recommendations());
              Instant quietSince = entries.get(entries.size() - 1).at();
              entries.add(
                  new Recommendation(
                      quietSince.minusSeconds(batchBefore), batchTasks, OptionalLong.of(0)));
              return new ScalingHistory(
                  entries, history.lastScaleOut(), history.burstStarts(), pauses);
            });
  }

  /**
   * An invocation's first sample half the time, the only one that scales in under the load term.
   */
  @Provide
  Arbitrary<Sample> mostlyFirst() {
    return Arbitraries.of(
        Sample.FIRST_OF_INVOCATION,
        Sample.FIRST_OF_INVOCATION,
        Sample.FOLLOW_UP,
        Sample.IDLE_CHECK);
  }

  /** Empty half the time; otherwise one message visible, in flight or delayed. */
  @Provide
  Arbitrary<QueueSnapshot> mostlyEmpty() {
    QueueSnapshot empty = new QueueSnapshot(0, 0, 0);
    return Arbitraries.of(
        empty,
        empty,
        empty,
        new QueueSnapshot(1, 0, 0),
        new QueueSnapshot(0, 1, 0),
        new QueueSnapshot(0, 0, 1));
  }

  /**
   * Four bursts at one period (3-10 minutes), the last 61 s to the period less 76 s ago (so the
   * next is due more than 75 s from now), the last scale-out up to two minutes after it; a busy
   * sample at that scale-out and a newest sample 1-40 s old that saw nothing in flight two times in
   * three, asking for no task half the time, else for up to as many as the busy one.
   */
  @Provide
  Arbitrary<ScalingHistory> lulls() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 100),
            Arbitraries.integers().between(180, 600),
            Arbitraries.integers().between(0, 120),
            Arbitraries.integers().between(1, 300),
            Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 300)),
            Arbitraries.of(0L, 0L, 40L),
            Arbitraries.integers().between(1, 40))
        .as(
            (share, period, scaleOutAfter, busyTasks, newestTasks, newestInFlight, newestAge) -> {
              int lastAgo = 61 + share * (period - 137) / 100;
              Instant lastStart = NOW.minusSeconds(lastAgo);
              Instant lastScaleOut =
                  lastStart.plusSeconds(Math.min(scaleOutAfter, lastAgo - newestAge - 1));
              List<Recommendation> samples =
                  List.of(
                      new Recommendation(lastScaleOut, busyTasks, OptionalLong.of(100)),
                      new Recommendation(
                          NOW.minusSeconds(newestAge),
                          Math.min(newestTasks, busyTasks),
                          OptionalLong.of(newestInFlight)));
              return new ScalingHistory(
                  samples,
                  Optional.of(lastScaleOut),
                  List.of(
                      lastStart.minusSeconds(3L * period),
                      lastStart.minusSeconds(2L * period),
                      lastStart.minusSeconds(period),
                      lastStart));
            });
  }

  private static boolean emptyBetweenPeriodicBursts(
      ScalingParameters p, QueueSnapshot queue, ScalingHistory history) {
    List<Instant> starts = history.burstStarts();
    if (!p.scaleInBetweenBursts()
        || queue.visible() != 0
        || queue.inFlight() != 0
        || queue.delayed() != 0
        || starts.size() < 4) {
      return false;
    }
    // Written out, not read from PeriodicBursts: the rule as docs/operating.md states it.
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < starts.size(); i++) {
      gaps.add(Duration.between(starts.get(i - 1), starts.get(i)).toSeconds());
    }
    long last = gaps.get(gaps.size() - 1);
    Instant lastScaleOut = history.lastScaleOut().orElse(starts.get(starts.size() - 1));
    long sinceScaleOut = Duration.between(lastScaleOut, NOW).toSeconds();
    long dueIn = Duration.between(NOW, starts.get(starts.size() - 1).plusSeconds(last)).toSeconds();
    List<Recommendation> stored =
        history.recommendations().stream().filter(r -> r.at().isBefore(NOW)).toList();
    if (stored.isEmpty()) {
      return false;
    }
    Recommendation newest = stored.get(stored.size() - 1);
    // At the floor, or asking only for what its load term asked for, and the last read (22.5 s).
    boolean newestQuiet =
        newest.inFlight().equals(OptionalLong.of(0))
            && (newest.tasks() <= p.minTasks()
                || (Duration.between(newest.at(), NOW).toMillis() <= 22_500
                    && newest.tasks()
                        <= p.load()
                            .map(
                                term ->
                                    Math.ceil(
                                        term.tasksFor(
                                            history.averageInFlight(
                                                LoadTerm.STABLE_WINDOW, newest.at(), 0))))
                            .orElse(0.0)));
    return Collections.max(gaps) - Collections.min(gaps) <= 30
        && last >= 180
        && sinceScaleOut >= Math.max(60, p.scaleOutCooldown().toSeconds())
        && dueIn > 75
        && newestQuiet;
  }

  private static boolean drainedForAMinute(
      ScalingParameters p, QueueSnapshot queue, ScalingHistory history) {
    return p.scaleInWhenDrained() && drained(p, queue, history);
  }

  /** Drained, and two of the last three pauses longer than the delay (docs/operating.md). */
  private static boolean drainedAfterLongPauses(
      ScalingParameters p, QueueSnapshot queue, ScalingHistory history) {
    List<Duration> pauses = history.pauses().recent();
    return p.scaleInAfterLongPauses()
        && pauses.size() == 3
        && pauses.stream().filter(pause -> pause.compareTo(heldThrough(p)) > 0).count() >= 2
        && drained(p, queue, history);
  }

  /** The longer of the delay to zero and the stabilization window (docs/operating.md). */
  private static Duration heldThrough(ScalingParameters p) {
    return p.scaleToZeroDelay().compareTo(p.scaleInStabilization()) >= 0
        ? p.scaleToZeroDelay()
        : p.scaleInStabilization();
  }

  private static boolean drained(ScalingParameters p, QueueSnapshot queue, ScalingHistory history) {
    return queue.visible() == 0
        && queue.inFlight() == 0
        && queue.delayed() == 0
        && history.nothingToDoWithin(
            ScalingPolicy.DRAINED_FOR,
            p.minTasks(),
            NOW,
            SamplingPlan.DEFAULT.interval().dividedBy(2));
  }

  /** A generated history whose newest entry saw nothing to do, 1-300 s ago. */
  @Provide
  Arbitrary<ScalingHistory> quietLately() {
    return Combinators.combine(histories(), Arbitraries.integers().between(1, 300))
        .as(
            (history, quietFor) -> {
              Instant since = NOW.minusSeconds(quietFor);
              List<Recommendation> entries =
                  new ArrayList<>(
                      history.recommendations().stream()
                          .filter(r -> r.at().isBefore(since))
                          .toList());
              entries.add(new Recommendation(since, 0, OptionalLong.of(0)));
              return new ScalingHistory(
                  entries, history.lastScaleOut(), List.of(), history.pauses());
            });
  }

  /** Empty queues half the time, so that the drained rule is reached. */
  @Provide
  Arbitrary<QueueSnapshot> drainedOrNot() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            new QueueSnapshot(0, 0, 0), new QueueSnapshot(0, 0, 3), new QueueSnapshot(0, 2, 0)),
        queues());
  }

  @Property
  void recommendationIsMonotoneInTheMessagesInFlight(
      @ForAll("parameters") ScalingParameters p,
      @ForAll @LongRange(min = 0, max = 1_000_000) long inFlight,
      @ForAll @LongRange(min = 0, max = 1_000_000) long more,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    ServiceSnapshot service = new ServiceSnapshot(current, current, 0);
    Decision fewer =
        ScalingPolicy.decide(p, new QueueSnapshot(0, inFlight, 0), service, history, NOW);
    Decision moreInFlight =
        ScalingPolicy.decide(p, new QueueSnapshot(0, inFlight + more, 0), service, history, NOW);

    assertThat(moreInFlight.recommended()).isGreaterThanOrEqualTo(fewer.recommended());
  }

  @Property
  void aFollowUpSampleUnderTheLoadTermScalesInOnlyBetweenPeriodicBursts(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(
            p, queue, new ServiceSnapshot(current, current, 0), history, NOW, Sample.FOLLOW_UP);

    if (p.load().isPresent() && current <= p.maxTasks() && decision.action() == Action.SCALE_IN) {
      assertThat(emptyBetweenPeriodicBursts(p, queue, history))
          .as("only a release between periodic bursts")
          .isTrue();
      assertThat(decision.recommended()).as("and only to the floor").isEqualTo(p.minTasks());
    }
  }

  /**
   * deploy.md, "Idle checks": a check never scales in, under either formula, above max-tasks too.
   */
  @Property
  void anIdleChecksDecisionNeverScalesIn(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(
            p, queue, new ServiceSnapshot(current, current, 0), history, NOW, Sample.IDLE_CHECK);

    assertThat(decision.action()).isNotEqualTo(Action.SCALE_IN);
    assertThat(decision.desired()).isGreaterThanOrEqualTo(current);
  }

  @Property
  void theLastTasksStopOnlyAfterTheScaleToZeroDelay(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 1, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    Decision decision =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(current, current, 0), history, NOW);

    boolean demandedRecently =
        history.highestRecommendationWithin(p.scaleToZeroDelay(), NOW).orElse(0) > 0;
    if (demandedRecently && !drainedAfterLongPauses(p, queue, history)) {
      assertThat(decision.desired()).isGreaterThan(0);
    }
  }

  @Property
  void aSecondRunOnTheSameInputsChangesNothing(
      @ForAll("parameters") ScalingParameters unlimited,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history) {
    // Steps make progress over several cycles by design; the idempotence claim is about one target.
    ScalingParameters p =
        new ScalingParameters(
            unlimited.minTasks(),
            unlimited.maxTasks(),
            unlimited.backlogPerTask(),
            unlimited.activationBacklog(),
            unlimited.countInFlight(),
            unlimited.countDelayed(),
            unlimited.scaleOutCooldown(),
            unlimited.scaleInStabilization(),
            0,
            0);
    Decision first =
        ScalingPolicy.decide(p, queue, new ServiceSnapshot(current, current, 0), history, NOW);
    if (first.action() == Action.HOLD) {
      return;
    }
    ScalingHistory after =
        history.after(
            NOW, first.recommended(), first.action() == Action.SCALE_OUT, p.scaleInStabilization());

    Decision second =
        ScalingPolicy.decide(
            p, queue, new ServiceSnapshot(first.desired(), first.desired(), 0), after, NOW);

    assertThat(second.action()).isEqualTo(Action.HOLD);
    assertThat(second.desired()).isEqualTo(first.desired());
  }

  @Property
  void everyReasonIsConsistentWithTheCounts(
      @ForAll("parameters") ScalingParameters p,
      @ForAll("queues") QueueSnapshot queue,
      @ForAll @IntRange(min = 0, max = 400) int current,
      @ForAll("histories") ScalingHistory history,
      @ForAll Sample sample) {
    Decision decision =
        ScalingPolicy.decide(
            p, queue, new ServiceSnapshot(current, current, 0), history, NOW, sample);
    double demand =
        ScalingPolicy.demand(
            p,
            decision.backlog(),
            history.averageInFlight(LoadTerm.STABLE_WINDOW, NOW, queue.inFlight()));

    // Decision's constructor already ties the action to desired vs current; these tie the reason
    // to the recommendation, which nothing else checks.
    int recommended = decision.recommended();
    int desired = decision.desired();
    assertThat(decision.current()).isEqualTo(current);
    switch (decision.reason()) {
      case WITHIN_TARGET -> {
        assertThat(desired).isEqualTo(current);
        assertThat(
                recommended == current
                    || ScalingPolicy.withinTolerance(p, demand, current, recommended))
            .as("the formula's count, or within the tolerance")
            .isTrue();
      }
      case COOLDOWN -> {
        assertThat(decision.action()).isEqualTo(Action.HOLD);
        assertThat(recommended).isGreaterThan(current);
      }
      case STABILIZING -> {
        assertThat(decision.action()).isNotEqualTo(Action.SCALE_OUT);
        assertThat(recommended).isLessThan(current);
        assertThat(desired).isGreaterThan(recommended);
      }
      case BETWEEN_BURSTS -> {
        assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
        assertThat(decision.backlog()).isZero();
        assertThat(desired).isBetween(recommended, Math.max(recommended, 1));
      }
      case LONG_PAUSES -> {
        assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
        assertThat(drainedAfterLongPauses(p, queue, history)).isTrue();
        assertThat(desired).isEqualTo(recommended).isEqualTo(p.minTasks());
      }
      case DRAINED -> {
        assertThat(decision.action()).isEqualTo(Action.SCALE_IN);
        assertThat(recommended).isEqualTo(p.minTasks());
        assertThat(desired).isBetween(recommended, Math.max(recommended, 1));
      }
      case BACKLOG -> assertThat(desired).isEqualTo(recommended).isNotEqualTo(current);
      case LOAD -> {
        assertThat(p.load()).isPresent();
        assertThat(desired).isEqualTo(recommended).isNotEqualTo(current);
        assertThat((long) recommended)
            .as("the load term asks for more than the backlog")
            .isGreaterThan(ScalingPolicy.ceilDiv(decision.backlog(), p.backlogPerTask()));
      }
      case STEP_LIMIT -> {
        assertThat(decision.action()).isNotEqualTo(Action.HOLD);
        assertThat(Math.abs(desired - current))
            .isLessThan(Math.abs(recommended - current))
            .isEqualTo(
                decision.action() == Action.SCALE_OUT ? p.maxScaleOutStep() : p.maxScaleInStep());
      }
      case MAX_TASKS -> assertThat(desired).isLessThanOrEqualTo(Math.max(current, p.maxTasks()));
      case MIN_TASKS -> assertThat(desired).isGreaterThanOrEqualTo(Math.min(current, p.minTasks()));
      case ACTIVATION -> {
        assertThat(current == 0 || decision.action() == Action.SCALE_IN).isTrue();
        assertThat(recommended).isEqualTo(Math.max(0, p.minTasks()));
      }
      default -> throw new AssertionError("the policy never gives " + decision.reason());
    }
  }
}
