package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The stored history's compaction, against the history it replaces (every recommendation inside the
 * retention, as stored before the history was bounded): bounded whatever the sequence, the rate and
 * the window, and never lower within any window, so no scale-in comes earlier.
 */
class ScalingHistoryProperties {

  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  /** One cycle: the time since the previous one, the recommendation and the messages in flight. */
  record Step(Duration gap, int tasks, long inFlight) {}

  /** A retention and the cycles that fill it. */
  record Scenario(Duration retention, List<Step> steps) {}

  /**
   * Retentions from none to past the contract's longest window (a day, where the ladder's anchor
   * starts to grow), with cycles at any rate: from a millisecond apart to an hour, and dense enough
   * for their retention to outgrow the bound.
   */
  @Provide
  Arbitrary<Scenario> anyRate() {
    return retentions()
        .flatMap(
            retention ->
                steps(
                        Arbitraries.frequencyOf(
                                Tuple.of(1, uniform(1, 1_000)),
                                Tuple.of(1, uniform(1_000, 3_600_000)),
                                Tuple.of(6, uniform(1, Math.max(1, retention.toMillis() / 50))))
                            .map(Duration::ofMillis))
                    .map(steps -> new Scenario(retention, steps)));
  }

  private static Arbitrary<Duration> retentions() {
    return Arbitraries.oneOf(
            uniformInts(0, 600),
            uniformInts(0, 3_600),
            uniformInts(0, 86_400),
            uniformInts(0, 400_000))
        .map(Duration::ofSeconds);
  }

  /**
   * Cycles the scaler makes, at least 5 s apart (the shortest sample interval), under parameters
   * whose windows go up to the contract's longest.
   */
  @Provide
  Arbitrary<Decided> samplingRates() {
    return contractWindows()
        .flatMap(
            parameters ->
                steps(
                        Arbitraries.frequencyOf(
                                Tuple.of(1, uniform(5, 15)),
                                Tuple.of(1, uniform(5, 3_600)),
                                Tuple.of(
                                    6,
                                    uniform(
                                        5,
                                        Math.max(
                                            5, parameters.historyRetention().toSeconds() / 50))))
                            .map(Duration::ofSeconds))
                    .map(steps -> new Decided(parameters, steps)));
  }

  /** Parameters and the cycles decided under them. */
  record Decided(ScalingParameters parameters, List<Step> steps) {}

  /**
   * Random counts, and long declines, which leave the longest staircases (a fleet falling through
   * every count); lengths uniform up to 400, so that most sequences outgrow the bound.
   */
  private static Arbitrary<List<Step>> steps(Arbitrary<Duration> gaps) {
    Arbitrary<Step> random =
        Combinators.combine(gaps, uniformInts(0, 200), uniform(0, 500)).as(Step::new);
    Arbitrary<Integer> lengths = uniformInts(0, 400);
    Arbitrary<List<Step>> randomSteps = lengths.flatMap(length -> random.list().ofSize(length));
    Arbitrary<List<Step>> declines =
        Combinators.combine(
                lengths.flatMap(length -> gaps.list().ofSize(length)), uniformInts(0, 200))
            .as(
                (gapList, top) -> {
                  List<Step> steps = new ArrayList<>();
                  for (int i = 0; i < gapList.size(); i++) {
                    steps.add(new Step(gapList.get(i), Math.floorMod(top - i, 201), i % 7));
                  }
                  return steps;
                });
    return Arbitraries.oneOf(randomSteps, declines);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void entriesStayWithinTheBoundWhateverTheSequenceRateAndRetention(
      @ForAll("anyRate") Scenario scenario) {
    Duration retention = scenario.retention();
    List<Step> steps = scenario.steps();
    ScalingHistory history = ScalingHistory.EMPTY;
    Instant now = START;
    for (Step step : steps) {
      now = now.plus(step.gap());
      history =
          history.after(now, step.tasks(), OptionalLong.of(step.inFlight()), false, retention);
      assertThat(history.recommendations()).hasSizeLessThanOrEqualTo(ScalingHistory.MAX_ENTRIES);
    }
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void theHighestWithinAnyWindowIsNeverLowerThanWithoutCompactionNorHigherThanOneSliceFurtherBack(
      @ForAll("anyRate") Scenario scenario) {
    Duration retention = scenario.retention();
    List<Step> steps = scenario.steps();
    ScalingHistory history = ScalingHistory.EMPTY;
    List<Recommendation> everything = new ArrayList<>();
    Instant now = START;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      now = now.plus(step.gap());
      history =
          history.after(now, step.tasks(), OptionalLong.of(step.inFlight()), false, retention);
      everything.add(new Recommendation(now, step.tasks()));
      if (i % 20 == 19 || i == steps.size() - 1) {
        assertBracketed(history, everything, now, retention);
      }
    }
    Instant cutoff = now.minus(retention);
    List<Recommendation> inRetention =
        everything.stream().filter(r -> r.at().isAfter(cutoff)).toList();
    Statistics.label("compacted")
        .collect(inRetention.size() > ScalingHistory.MAX_ENTRIES ? "yes" : "no");
    Statistics.label("folded into slices")
        .collect(staircase(inRetention) > ScalingHistory.BUCKETS ? "yes" : "no");
  }

  /** How many entries no newer one matches or exceeds. */
  private static int staircase(List<Recommendation> sorted) {
    int steps = 0;
    int highest = -1;
    for (int i = sorted.size() - 1; i >= 0; i--) {
      if (sorted.get(i).tasks() > highest) {
        highest = sorted.get(i).tasks();
        steps++;
      }
    }
    return steps;
  }

  /**
   * Checked where either side changes: a window's highest rises only as the window reaches an
   * entry, so each entry's age (plus a nanosecond, the window being open at its old end) covers
   * every window up to the retention.
   */
  private static void assertBracketed(
      ScalingHistory compacted, List<Recommendation> everything, Instant now, Duration retention) {
    ScalingHistory uncompacted = new ScalingHistory(everything, Optional.empty());
    for (Recommendation r : everything) {
      Duration window = Duration.between(r.at(), now).plusNanos(1);
      if (window.compareTo(retention) <= 0) {
        assertThat(compacted.highestRecommendationWithin(window, now))
            .as("within %s", window)
            .hasValueSatisfying(highest -> assertThat(highest).isGreaterThanOrEqualTo(r.tasks()));
      }
    }
    for (Recommendation kept : compacted.recommendations()) {
      Duration window = Duration.between(kept.at(), now).plusNanos(1);
      Duration stretched = window.plus(ScalingHistory.sliceWidth(window, retention));
      assertThat(compacted.highestRecommendationWithin(window, now).orElseThrow())
          .as("within %s, against %s", window, stretched)
          .isLessThanOrEqualTo(
              uncompacted.highestRecommendationWithin(stretched, now).orElseThrow());
    }
  }

  @Property(tries = 300)
  void aSliceIsAtMostAThirdOfItsAgeOrOfAMinute(
      @ForAll("anyRetention") Duration retention, @ForAll("ages") Duration age) {
    Duration slice = ScalingHistory.sliceWidth(age, retention);

    Duration longer = age.compareTo(Duration.ofMinutes(1)) > 0 ? age : Duration.ofMinutes(1);
    if (retention.compareTo(Duration.ofHours(34)) <= 0) {
      assertThat(slice.multipliedBy(3)).isLessThanOrEqualTo(longer);
    }
    assertThat(slice).isPositive();
  }

  @Provide
  Arbitrary<Duration> anyRetention() {
    return retentions();
  }

  @Provide
  Arbitrary<Duration> ages() {
    return uniform(0, 400_000_000L).map(Duration::ofMillis);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void decisionsNeverScaleInEarlierOrFurtherThanOnTheUncompactedHistory(
      @ForAll("samplingRates") Decided decided) {
    ScalingParameters parameters = decided.parameters();
    List<Step> steps = decided.steps();
    Duration retention = parameters.historyRetention();
    ScalingHistory compacted = ScalingHistory.EMPTY;
    ScalingHistory uncompacted = ScalingHistory.EMPTY;
    int current = 0;
    Instant now = START;
    boolean wasCompacted = false;
    boolean cameLater = false;
    for (Step step : steps) {
      now = now.plus(step.gap());
      QueueSnapshot queue = new QueueSnapshot(25L * step.tasks(), step.inFlight(), 0);
      ServiceSnapshot service = new ServiceSnapshot(current, current, 0);

      Decision withCompaction = ScalingPolicy.decide(parameters, queue, service, compacted, now);
      Decision without = ScalingPolicy.decide(parameters, queue, service, uncompacted, now);

      assertThat(withCompaction.recommended()).isEqualTo(without.recommended());
      assertThat(withCompaction.desired()).isGreaterThanOrEqualTo(without.desired());
      if (without.action() != Action.SCALE_IN) {
        assertThat(withCompaction.action()).isNotEqualTo(Action.SCALE_IN);
      }
      boolean scaledOut = without.action() == Action.SCALE_OUT;
      OptionalLong inFlight = OptionalLong.of(step.inFlight());
      compacted = compacted.after(now, without.recommended(), inFlight, scaledOut, retention);
      uncompacted =
          keepingEverything(
              uncompacted, now, without.recommended(), inFlight, scaledOut, retention);
      current = without.desired();
      wasCompacted |= uncompacted.recommendations().size() > ScalingHistory.MAX_ENTRIES;
      cameLater |= withCompaction.desired() > without.desired();
    }
    Statistics.label("compacted").collect(wasCompacted ? "yes" : "no");
    Statistics.label("a scale-in came later").collect(cameLater ? "yes" : "no");
  }

  /**
   * The history as it was stored before it was bounded: every entry inside the retention, a run of
   * samples at the floor (zero here) by its first, as {@link ScalingHistory#after} keeps it. That
   * rule is exact only at the sample interval's cadence (the properties below), and these samples
   * come at any rate: this property is about the bound.
   */
  private static ScalingHistory keepingEverything(
      ScalingHistory history,
      Instant now,
      int recommended,
      OptionalLong inFlight,
      boolean scaledOut,
      Duration retention) {
    List<Recommendation> entries = history.recommendations();
    Optional<Recommendation> newest =
        entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    boolean repeatsTheFloor =
        recommended == 0
            && inFlight.orElse(0) == 0
            && newest.filter(r -> r.tasks() == 0 && r.inFlight().orElse(0) == 0).isPresent();
    if (!scaledOut && repeatsTheFloor) {
      return history;
    }
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : history.recommendations()) {
      if (r.at().isAfter(now.minus(retention)) && r.at().isBefore(now)) {
        kept.add(r);
      }
    }
    kept.add(new Recommendation(now, recommended, inFlight));
    return new ScalingHistory(kept, scaledOut ? Optional.of(now) : history.lastScaleOut());
  }

  /** The default formula with windows up to the contract's longest. */
  private static Arbitrary<ScalingParameters> contractWindows() {
    return Combinators.combine(
            uniformInts(0, 3_600), uniformInts(0, 86_400), uniformInts(0, 5), uniformInts(0, 25))
        .as(
            (stabilization, zeroDelay, step, tolerance) ->
                new ScalingParameters(
                        0,
                        200,
                        25,
                        1,
                        true,
                        false,
                        Duration.ZERO,
                        Duration.ofSeconds(stabilization),
                        step,
                        step,
                        tolerance)
                    .withScaleToZeroDelay(Duration.ofSeconds(zeroDelay))
                    .withLoad(new LoadTerm(10, 120)));
  }

  /** Uniform, not jqwik's default bias to small values: long sequences and windows matter here. */
  private static Arbitrary<Long> uniform(long min, long max) {
    return Arbitraries.longs().between(min, max).withDistribution(RandomDistribution.uniform());
  }

  private static Arbitrary<Integer> uniformInts(int min, int max) {
    return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
  }

  /** A floor (min-tasks) and the samples decided above it. */
  record Floored(int floor, List<Step> steps) {}

  /**
   * Quiet spells: most samples at the floor (min-tasks recommended, nothing in flight), some busy,
   * 5 s to 2 minutes apart, few enough that nothing is compacted.
   */
  @Provide
  Arbitrary<Floored> quietSpells() {
    return uniformInts(0, 3)
        .flatMap(
            floor -> {
              Arbitrary<Step> atFloor =
                  uniform(5, 120).map(s -> new Step(Duration.ofSeconds(s), floor, 0));
              Arbitrary<Step> busy =
                  Combinators.combine(
                          uniform(5, 120).map(Duration::ofSeconds),
                          uniformInts(floor, floor + 20),
                          uniform(0, 50))
                      .as(Step::new);
              return Arbitraries.frequencyOf(Tuple.of(4, atFloor), Tuple.of(1, busy))
                  .list()
                  .ofMaxSize(40)
                  .map(steps -> new Floored(floor, steps));
            });
  }

  @Property(tries = 300)
  void aRunOfSamplesAtTheFloorIsKeptByItsFirstAndChangesNoWindowsHighest(
      @ForAll("quietSpells") Floored spell, @ForAll("windows") Duration window) {
    Duration retention = Duration.ofHours(2);
    int floor = spell.floor();
    ScalingHistory history = ScalingHistory.EMPTY;
    List<Recommendation> everything = new ArrayList<>();
    Instant now = START;
    for (Step step : spell.steps()) {
      now = now.plus(step.gap());
      boolean repeatsTheFloor =
          step.tasks() == floor
              && step.inFlight() == 0
              && !everything.isEmpty()
              && everything.get(everything.size() - 1).tasks() == floor
              && everything.get(everything.size() - 1).inFlight().orElse(0) == 0;
      ScalingHistory before = history;
      history =
          history.after(
              now, step.tasks(), OptionalLong.of(step.inFlight()), false, retention, floor);
      everything.add(new Recommendation(now, step.tasks(), OptionalLong.of(step.inFlight())));
      if (repeatsTheFloor) {
        assertThat(history).as("nothing new to store").isEqualTo(before);
      }
      ScalingHistory full = new ScalingHistory(everything, Optional.empty());
      // As the policy reads it: the highest of the window and the current recommendation (>= the
      // floor).
      assertThat(history.highestRecommendationWithin(window, now).orElse(floor))
          .isEqualTo(full.highestRecommendationWithin(window, now).orElse(floor));
    }
  }

  /** Samples every {@code interval}, as the Lambda takes them while a target is active. */
  record Regular(int floor, Duration interval, List<Step> steps) {}

  /**
   * Regular sampling at the contract's intervals that divide the schedule's minute, most samples at
   * the floor, the rest busy (some with nothing in flight above the floor).
   */
  @Provide
  Arbitrary<Regular> regularSampling() {
    Arbitrary<Duration> intervals =
        Arbitraries.of(5, 6, 10, 12, 15, 20, 30, 60).map(Duration::ofSeconds);
    return Combinators.combine(uniformInts(0, 3), intervals)
        .flatAs(
            (floor, interval) -> {
              Arbitrary<Step> atFloor = Arbitraries.just(new Step(interval, floor, 0));
              Arbitrary<Step> busy =
                  Combinators.combine(uniformInts(floor, floor + 20), uniform(0, 50))
                      .as((tasks, inFlight) -> new Step(interval, tasks, inFlight));
              return Arbitraries.frequencyOf(Tuple.of(4, atFloor), Tuple.of(1, busy))
                  .list()
                  .ofMaxSize(60)
                  .map(steps -> new Regular(floor, interval, steps));
            });
  }

  @Property(tries = 300)
  void underRegularSamplingTheAverageInFlightIsTheMeanOfEverySample(
      @ForAll("regularSampling") Regular sampling, @ForAll("inFlightNow") long inFlightNow) {
    Duration retention = Duration.ofMinutes(10);
    ScalingHistory history = ScalingHistory.EMPTY;
    List<Recommendation> everything = new ArrayList<>();
    Instant now = START;
    for (Step step : sampling.steps()) {
      now = now.plus(step.gap());
      history =
          history.after(
              now,
              step.tasks(),
              OptionalLong.of(step.inFlight()),
              false,
              retention,
              sampling.floor());
      everything.add(new Recommendation(now, step.tasks(), OptionalLong.of(step.inFlight())));
    }
    Instant next = now.plus(sampling.interval());
    Instant cutoff = next.minus(LoadTerm.STABLE_WINDOW);
    long sum = inFlightNow;
    int count = 1;
    for (Recommendation r : everything) {
      if (r.at().isAfter(cutoff)) {
        sum += r.inFlight().orElseThrow();
        count++;
      }
    }

    assertThat(
            history.averageInFlight(LoadTerm.STABLE_WINDOW, next, inFlightNow, sampling.interval()))
        .isEqualTo((double) sum / count);
  }

  /** How the Lambda samples a target at zero in one minute of its schedule. */
  enum Minute {
    /** Sampled every interval from the invocation's start. */
    ACTIVE,
    /** Idle at the invocation's start: its idle checks find the queue empty and decide nothing. */
    IDLE,
    /** Sampled every interval until a sample finds it idle: the rest of the minute is checks. */
    GOING_IDLE,
    /** Idle at the invocation's start, then a check finds messages: sampled from then on. */
    WAKING
  }

  /** One sample's recommendation and messages in flight. */
  record Load(int tasks, long inFlight) {}

  /** A minute: how it is sampled, where it changes (a slot of the interval), each slot's load. */
  record MinutePlan(Minute kind, int change, List<Load> loads) {}

  /** A sample as taken, with the cadence of the samples after it. */
  record Taken(Instant at, Load load, Cadence cadence) {}

  /** A target at zero (min-tasks 0) sampled every {@code interval} while active. */
  record Schedule(Duration interval, List<Taken> samples) {}

  /**
   * Minutes of a target at zero that goes idle and wakes, sampled as the Lambda samples it: every
   * interval (one that divides the minute) while active, at the invocation's start while idle, from
   * an idle check on the interval's grid once its queue fills. Samples at the floor (nothing
   * recommended, nothing in flight) are frequent, so runs are stored once.
   */
  @Provide
  Arbitrary<Schedule> idleAndActiveMinutes() {
    return Arbitraries.of(6, 10, 12, 15, 20, 30)
        .map(Duration::ofSeconds)
        .flatMap(
            interval -> {
              int slots = (int) (SamplingPlan.SCHEDULE.toSeconds() / interval.toSeconds());
              Arbitrary<Load> load =
                  Arbitraries.frequencyOf(
                      Tuple.of(3, Arbitraries.just(new Load(0, 0))),
                      Tuple.of(
                          1,
                          Combinators.combine(uniformInts(0, 20), uniform(0, 50)).as(Load::new)));
              Arbitrary<MinutePlan> minute =
                  Combinators.combine(
                          Arbitraries.of(Minute.class),
                          uniformInts(1, slots - 1),
                          load.list().ofSize(slots))
                      .as(MinutePlan::new);
              return minute
                  .list()
                  .ofMinSize(1)
                  .ofMaxSize(6)
                  .map(plans -> new Schedule(interval, taken(interval, plans)));
            });
  }

  private static List<Taken> taken(Duration interval, List<MinutePlan> plans) {
    Load idle = new Load(0, 0);
    List<Taken> samples = new ArrayList<>();
    for (int m = 0; m < plans.size(); m++) {
      Instant invoked = START.plus(SamplingPlan.SCHEDULE.multipliedBy(m));
      MinutePlan plan = plans.get(m);
      int from = 0;
      int to = plan.loads().size();
      switch (plan.kind()) {
        case IDLE -> {
          samples.add(new Taken(invoked, idle, Cadence.EVERY_INVOCATION));
          to = 0;
        }
        case GOING_IDLE -> to = plan.change();
        case WAKING -> {
          samples.add(new Taken(invoked, idle, Cadence.EVERY_INVOCATION));
          from = plan.change();
        }
        case ACTIVE -> {}
      }
      for (int slot = from; slot < to; slot++) {
        samples.add(
            new Taken(
                invoked.plus(interval.multipliedBy(slot)),
                plan.loads().get(slot),
                Cadence.EVERY_SAMPLE));
      }
      if (plan.kind() == Minute.GOING_IDLE) {
        samples.add(new Taken(invoked.plus(interval.multipliedBy(to)), idle, Cadence.ALONE));
      }
    }
    return samples;
  }

  @Property(tries = 500)
  void aTargetGoingIdleAndWakingAveragesEverySampleTakenThoughItsQuietMinutesAreStoredOnce(
      @ForAll("idleAndActiveMinutes") Schedule schedule) {
    Duration retention = Duration.ofMinutes(10);
    ScalingHistory history = ScalingHistory.EMPTY;
    List<Taken> before = new ArrayList<>();
    for (Taken sample : schedule.samples()) {
      Instant cutoff = sample.at().minus(LoadTerm.STABLE_WINDOW);
      long sum = sample.load().inFlight();
      int count = 1;
      for (Taken earlier : before) {
        if (earlier.at().isAfter(cutoff)) {
          sum += earlier.load().inFlight();
          count++;
        }
      }
      assertThat(
              history.averageInFlight(
                  LoadTerm.STABLE_WINDOW,
                  sample.at(),
                  sample.load().inFlight(),
                  schedule.interval()))
          .as("the mean at %s of the samples taken in the minute before", sample.at())
          .isEqualTo((double) sum / count);

      ScalingHistory stored = history;
      history =
          history.after(
              sample.at(),
              sample.load().tasks(),
              OptionalLong.of(sample.load().inFlight()),
              false,
              retention,
              0,
              sample.cadence());
      if (!before.isEmpty()
          && before.get(before.size() - 1).cadence() == Cadence.EVERY_INVOCATION
          && sample.cadence() == Cadence.EVERY_INVOCATION) {
        assertThat(history)
            .as("a quiet minute after a quiet minute stores nothing")
            .isEqualTo(stored);
      }
      before.add(sample);
    }
  }

  @Provide
  Arbitrary<Long> inFlightNow() {
    return uniform(0, 500);
  }

  @Provide
  Arbitrary<Duration> windows() {
    return uniform(0, 3_600).map(Duration::ofSeconds);
  }
}
