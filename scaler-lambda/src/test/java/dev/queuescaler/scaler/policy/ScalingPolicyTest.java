package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ScalingPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final ScalingParameters DEFAULTS = ScalingParameters.BACKLOG_PER_TASK_DEFAULTS;

  private static ScalingParameters params(int min, int max, int perTask) {
    return new ScalingParameters(
        min, max, perTask, 1, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0);
  }

  private static ScalingParameters with(
      ScalingParameters p, Duration cooldown, Duration window, int outStep, int inStep) {
    return new ScalingParameters(
        p.minTasks(),
        p.maxTasks(),
        p.backlogPerTask(),
        p.activationBacklog(),
        p.countInFlight(),
        p.countDelayed(),
        cooldown,
        window,
        outStep,
        inStep);
  }

  private static ScalingHistory recommended(int tasks, Duration ago) {
    return new ScalingHistory(List.of(new Recommendation(NOW.minus(ago), tasks)), Optional.empty());
  }

  record Case(
      String name,
      ScalingParameters parameters,
      QueueSnapshot queue,
      int current,
      ScalingHistory history,
      int expectedDesired,
      Action expectedAction,
      Reason expectedReason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "scales from zero on the first message",
                DEFAULTS,
                new QueueSnapshot(1, 0, 0),
                0,
                ScalingHistory.EMPTY,
                1,
                Action.SCALE_OUT,
                Reason.BACKLOG),
            new Case(
                "stays at zero below the activation backlog",
                new ScalingParameters(
                    0, 10, 100, 50, true, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0),
                new QueueSnapshot(49, 0, 0),
                0,
                ScalingHistory.EMPTY,
                0,
                Action.HOLD,
                Reason.ACTIVATION),
            new Case(
                "activation does not hold back a fleet whose minimum is above zero",
                new ScalingParameters(
                    1, 10, 1, 3, false, false, Duration.ZERO, Duration.ofSeconds(300), 0, 0),
                new QueueSnapshot(2, 0, 0),
                0,
                ScalingHistory.EMPTY,
                2,
                Action.SCALE_OUT,
                Reason.BACKLOG),
            new Case(
                "scales out to ceil(backlog / backlog-per-task) in one cycle",
                DEFAULTS,
                new QueueSnapshot(650, 0, 0),
                1,
                ScalingHistory.EMPTY,
                7,
                Action.SCALE_OUT,
                Reason.BACKLOG),
            new Case(
                "counts in-flight messages by default",
                DEFAULTS,
                new QueueSnapshot(100, 101, 0),
                0,
                ScalingHistory.EMPTY,
                3,
                Action.SCALE_OUT,
                Reason.BACKLOG),
            new Case(
                "ignores delayed messages by default",
                DEFAULTS,
                new QueueSnapshot(0, 0, 5_000),
                0,
                ScalingHistory.EMPTY,
                0,
                Action.HOLD,
                Reason.ACTIVATION),
            new Case(
                "caps at max-tasks",
                params(0, 5, 10),
                new QueueSnapshot(10_000, 0, 0),
                2,
                ScalingHistory.EMPTY,
                5,
                Action.SCALE_OUT,
                Reason.MAX_TASKS),
            new Case(
                "holds at max-tasks when the backlog wants more",
                params(0, 5, 10),
                new QueueSnapshot(10_000, 0, 0),
                5,
                ScalingHistory.EMPTY,
                5,
                Action.HOLD,
                Reason.MAX_TASKS),
            new Case(
                "raises to min-tasks on an empty queue",
                params(2, 10, 100),
                new QueueSnapshot(0, 0, 0),
                0,
                ScalingHistory.EMPTY,
                2,
                Action.SCALE_OUT,
                Reason.MIN_TASKS),
            new Case(
                "holds within target",
                DEFAULTS,
                new QueueSnapshot(250, 0, 0),
                3,
                ScalingHistory.EMPTY,
                3,
                Action.HOLD,
                Reason.WITHIN_TARGET),
            new Case(
                "limits a scale-out to max-scale-out-step",
                with(DEFAULTS, Duration.ZERO, Duration.ofSeconds(300), 2, 0),
                new QueueSnapshot(1_000, 0, 0),
                1,
                ScalingHistory.EMPTY,
                3,
                Action.SCALE_OUT,
                Reason.STEP_LIMIT),
            new Case(
                "holds a scale-out inside the cooldown",
                with(DEFAULTS, Duration.ofSeconds(120), Duration.ofSeconds(300), 0, 0),
                new QueueSnapshot(1_000, 0, 0),
                2,
                new ScalingHistory(List.of(), Optional.of(NOW.minusSeconds(60))),
                2,
                Action.HOLD,
                Reason.COOLDOWN),
            new Case(
                "scales out again once the cooldown has passed",
                with(DEFAULTS, Duration.ofSeconds(120), Duration.ofSeconds(300), 0, 0),
                new QueueSnapshot(1_000, 0, 0),
                2,
                new ScalingHistory(List.of(), Optional.of(NOW.minusSeconds(120))),
                10,
                Action.SCALE_OUT,
                Reason.BACKLOG),
            new Case(
                "holds a scale-in while a higher recommendation is inside the window",
                DEFAULTS,
                new QueueSnapshot(0, 0, 0),
                5,
                recommended(5, Duration.ofSeconds(240)),
                5,
                Action.HOLD,
                Reason.STABILIZING),
            new Case(
                "scales in part-way to the highest recommendation of the window",
                DEFAULTS,
                new QueueSnapshot(100, 0, 0),
                6,
                recommended(3, Duration.ofSeconds(60)),
                3,
                Action.SCALE_IN,
                Reason.STABILIZING),
            new Case(
                "scales in once the window has passed",
                DEFAULTS,
                new QueueSnapshot(0, 0, 0),
                5,
                recommended(5, Duration.ofSeconds(300)),
                0,
                Action.SCALE_IN,
                Reason.BACKLOG),
            new Case(
                "scales in at once with a zero window",
                with(DEFAULTS, Duration.ZERO, Duration.ZERO, 0, 0),
                new QueueSnapshot(100, 0, 0),
                5,
                recommended(5, Duration.ofSeconds(10)),
                1,
                Action.SCALE_IN,
                Reason.BACKLOG),
            new Case(
                "limits a scale-in to max-scale-in-step",
                with(DEFAULTS, Duration.ZERO, Duration.ZERO, 0, 2),
                new QueueSnapshot(0, 0, 0),
                8,
                ScalingHistory.EMPTY,
                6,
                Action.SCALE_IN,
                Reason.STEP_LIMIT),
            new Case(
                "applies a lowered max-tasks at once, window or not",
                params(0, 3, 100),
                new QueueSnapshot(10_000, 0, 0),
                8,
                recommended(8, Duration.ofSeconds(30)),
                3,
                Action.SCALE_IN,
                Reason.MAX_TASKS),
            new Case(
                "saturates on a backlog near Long.MAX_VALUE",
                params(0, 1_000, 1),
                new QueueSnapshot(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
                0,
                ScalingHistory.EMPTY,
                1_000,
                Action.SCALE_OUT,
                Reason.MAX_TASKS))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    Decision decision =
        ScalingPolicy.decide(
            c.parameters(),
            c.queue(),
            new ServiceSnapshot(c.current(), c.current(), 0),
            c.history(),
            NOW);

    assertThat(decision.desired()).as("desired").isEqualTo(c.expectedDesired());
    assertThat(decision.action()).as("action").isEqualTo(c.expectedAction());
    assertThat(decision.reason()).as("reason").isEqualTo(c.expectedReason());
  }

  /**
   * deploy.md, "Idle checks": a check decides a woken target as a follow-up that never scales in,
   * whatever the formula, even down to max-tasks (a count raised from outside while the target was
   * idle is the next invocation's to judge).
   */
  @ParameterizedTest
  @CsvSource({"false, 4", "true, 4", "false, 12", "true, 12"})
  void anIdleChecksDecisionNeverScalesIn(boolean withLoad, int current) {
    ScalingParameters parameters =
        new ScalingParameters(
            0,
            10,
            100,
            1,
            true,
            false,
            Duration.ZERO,
            Duration.ZERO,
            0,
            0,
            0,
            Duration.ZERO,
            false,
            withLoad ? Optional.of(new LoadTerm(4, 80)) : Optional.empty());

    Decision decision =
        ScalingPolicy.decide(
            parameters,
            new QueueSnapshot(1, 0, 0),
            new ServiceSnapshot(current, current, 0),
            ScalingHistory.EMPTY,
            NOW,
            Sample.IDLE_CHECK);

    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.desired()).isEqualTo(current);
    assertThat(decision.reason()).isEqualTo(Reason.STABILIZING);
    assertThat(
            ScalingPolicy.decide(
                    parameters,
                    new QueueSnapshot(1, 0, 0),
                    new ServiceSnapshot(current, current, 0),
                    ScalingHistory.EMPTY,
                    NOW,
                    Sample.FIRST_OF_INVOCATION)
                .action())
        .as("the invocation's first sample scales it in")
        .isEqualTo(Action.SCALE_IN);
  }

  @Test
  void reportsTheBacklogAndTheRecommendationBeforeStabilization() {
    Decision decision =
        ScalingPolicy.decide(
            DEFAULTS,
            new QueueSnapshot(0, 0, 0),
            new ServiceSnapshot(5, 5, 0),
            recommended(5, Duration.ofSeconds(10)),
            NOW);

    assertThat(decision.backlog()).isZero();
    assertThat(decision.recommended()).isZero();
    assertThat(decision.desired()).isEqualTo(5);
  }

  @Test
  void historyKeepsOnlyTheWindowAndMovesTheScaleOutTime() {
    ScalingHistory history =
        new ScalingHistory(
            List.of(
                new Recommendation(NOW.minusSeconds(400), 9),
                new Recommendation(NOW.minusSeconds(100), 4)),
            Optional.empty());

    ScalingHistory next = history.after(NOW, 6, true, Duration.ofSeconds(300));

    assertThat(next.recommendations())
        .containsExactly(new Recommendation(NOW.minusSeconds(100), 4), new Recommendation(NOW, 6));
    assertThat(next.lastScaleOut()).contains(NOW);
    assertThat(next.withLastScaleOutOf(history).lastScaleOut()).isEmpty();
  }
}
