package dev.queuescaler.scaler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The order in which a round's count changes spend the update budget. */
class UpdateUrgencyProperties {

  @Provide
  Arbitrary<UpdateUrgency.Claim> claims() {
    Arbitrary<String> targets = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(3);
    Arbitrary<Integer> counts = Arbitraries.integers().between(0, 12);
    Arbitrary<Long> backlogs = Arbitraries.longs().between(0, 5_000);
    return Combinators.combine(
            targets, counts, counts, backlogs, Arbitraries.integers().between(0, 2))
        .as(
            (target, current, desired, backlog, waited) ->
                new UpdateUrgency.Claim(
                    target,
                    new Decision(
                        backlog,
                        current,
                        desired,
                        desired,
                        desired > current
                            ? Action.SCALE_OUT
                            : desired < current ? Action.SCALE_IN : Action.HOLD,
                        Reason.BACKLOG),
                    waited));
  }

  @Provide
  Arbitrary<List<UpdateUrgency.Claim>> rounds() {
    return claims().list().ofMaxSize(30);
  }

  private static List<UpdateUrgency.Claim> ordered(List<UpdateUrgency.Claim> round) {
    List<UpdateUrgency.Claim> ordered = new ArrayList<>(round);
    ordered.sort(UpdateUrgency.MOST_URGENT_FIRST);
    return ordered;
  }

  private static boolean before(
      List<UpdateUrgency.Claim> ordered, UpdateUrgency.Claim first, UpdateUrgency.Claim second) {
    return ordered.indexOf(first) < ordered.lastIndexOf(second);
  }

  @Property
  void amongTargetsThatWaitedAsLongScaleOutsGoBeforeScaleIns(
      @ForAll("rounds") List<UpdateUrgency.Claim> round) {
    List<UpdateUrgency.Claim> ordered = ordered(round);
    for (UpdateUrgency.Claim out : round) {
      for (UpdateUrgency.Claim in : round) {
        if (out.decision().action() == Action.SCALE_OUT
            && in.decision().action() == Action.SCALE_IN
            && out.cyclesWaited() == in.cyclesWaited()) {
          assertThat(before(ordered, out, in)).as("%s before %s", out, in).isTrue();
        }
      }
    }
  }

  @Property
  void aScaleOutFromZeroGoesBeforeAnyOtherScaleOutThatWaitedAsLong(
      @ForAll("rounds") List<UpdateUrgency.Claim> round) {
    List<UpdateUrgency.Claim> ordered = ordered(round);
    for (UpdateUrgency.Claim fromZero : round) {
      for (UpdateUrgency.Claim other : round) {
        if (fromZero.decision().action() == Action.SCALE_OUT
            && fromZero.decision().current() == 0
            && other.decision().action() == Action.SCALE_OUT
            && other.decision().current() > 0
            && fromZero.cyclesWaited() == other.cyclesWaited()) {
          assertThat(before(ordered, fromZero, other)).as("%s before %s", fromZero, other).isTrue();
        }
      }
    }
  }

  @Property
  void amongScaleOutsWithTasksTheHighestBacklogPerTaskGoesFirst(
      @ForAll("rounds") List<UpdateUrgency.Claim> round) {
    List<UpdateUrgency.Claim> ordered = ordered(round);
    for (int i = 1; i < ordered.size(); i++) {
      Decision a = ordered.get(i - 1).decision();
      Decision b = ordered.get(i).decision();
      if (a.action() == Action.SCALE_OUT
          && b.action() == Action.SCALE_OUT
          && a.current() > 0
          && b.current() > 0
          && ordered.get(i - 1).cyclesWaited() == ordered.get(i).cyclesWaited()) {
        assertThat((double) a.backlog() / a.current())
            .isGreaterThanOrEqualTo((double) b.backlog() / b.current());
      }
    }
  }

  @Property
  void theLongestWaitingGoFirstWhateverTheyAsk(@ForAll("rounds") List<UpdateUrgency.Claim> round) {
    List<UpdateUrgency.Claim> ordered = ordered(round);
    for (int i = 1; i < ordered.size(); i++) {
      assertThat(ordered.get(i - 1).cyclesWaited())
          .isGreaterThanOrEqualTo(ordered.get(i).cyclesWaited());
    }
  }

  @Property
  void theOrderIsTotalAndTheSameWhateverOrderTheRoundDecidedIn(
      @ForAll("rounds") List<UpdateUrgency.Claim> round, @ForAll long seed) {
    List<UpdateUrgency.Claim> shuffled = new ArrayList<>(round);
    Collections.shuffle(shuffled, new Random(seed));

    assertThat(ordered(shuffled)).isEqualTo(ordered(round));
    for (UpdateUrgency.Claim a : round) {
      for (UpdateUrgency.Claim b : round) {
        int ab = UpdateUrgency.MOST_URGENT_FIRST.compare(a, b);
        assertThat(Integer.signum(ab))
            .isEqualTo(-Integer.signum(UpdateUrgency.MOST_URGENT_FIRST.compare(b, a)));
        assertThat(ab == 0).as("only equal claims tie: %s, %s", a, b).isEqualTo(a.equals(b));
      }
    }
  }
}
