package dev.queuescaler.scaler.policy;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Objects;

/**
 * The order in which a round's count changes spend the update budget (ECS {@code UpdateService} is
 * paced, and a round can decide more changes than the time left allows): the most urgent first, so
 * that what waits for the next cycle is what can best afford it.
 *
 * <ol>
 *   <li>A target the deadline left out in the cycles before goes first, the longest-waiting first:
 *       so none is left out twice in a row while another acts twice, and a scale-in that lost its
 *       turn to scale-outs acts in the next cycle.
 *   <li>Scale-outs before scale-ins: a backlog waits for capacity, while a scale-in that waits only
 *       runs its tasks a minute longer.
 *   <li>Among scale-outs, from zero first: a queue with no task at all makes no progress.
 *   <li>Then by backlog per running task ({@code backlog / max(1, current)}), highest first: the
 *       queue furthest behind.
 *   <li>Among scale-ins, the largest relative reduction first ({@code (current - desired) /
 *       current}): it gives back the most of what its service holds.
 *   <li>Decisions that keep the count (they need no update) last.
 *   <li>Ties by target name, so that the order is total and the same on every run.
 * </ol>
 */
public final class UpdateUrgency {

  /**
   * One target's decision that asks for the update budget.
   *
   * @param cyclesWaited cycles in a row the deadline left the target out before this one, >= 0
   */
  public record Claim(String target, Decision decision, int cyclesWaited) {
    public Claim {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(decision, "decision");
      if (cyclesWaited < 0) {
        throw new IllegalArgumentException("cyclesWaited must be >= 0 but was " + cyclesWaited);
      }
    }

    /** A claim of a target that did not wait. */
    public Claim(String target, Decision decision) {
      this(target, decision, 0);
    }
  }

  /** The most urgent claim first; a total order (consistent with equals on target and decision). */
  public static final Comparator<Claim> MOST_URGENT_FIRST =
      Comparator.comparingInt((Claim claim) -> -claim.cyclesWaited())
          .thenComparingInt(claim -> rank(claim.decision().action()))
          .thenComparing(UpdateUrgency::fromZeroFirst)
          .thenComparing(UpdateUrgency::furthestBehindFirst)
          .thenComparing(UpdateUrgency::largestReductionFirst)
          .thenComparing(Claim::target)
          .thenComparing(claim -> claim.decision().desired())
          .thenComparing(claim -> claim.decision().current())
          .thenComparing(claim -> claim.decision().backlog())
          .thenComparing(claim -> claim.decision().recommended())
          .thenComparing(claim -> claim.decision().reason());

  private UpdateUrgency() {}

  private static int rank(Action action) {
    return switch (action) {
      case SCALE_OUT -> 0;
      case SCALE_IN -> 1;
      case HOLD -> 2;
    };
  }

  private static int fromZeroFirst(Claim a, Claim b) {
    return Boolean.compare(!fromZero(a.decision()), !fromZero(b.decision()));
  }

  private static boolean fromZero(Decision decision) {
    return decision.action() == Action.SCALE_OUT && decision.current() == 0;
  }

  /** Scale-outs: backlog per running task, compared exactly (no rounding decides an order). */
  private static int furthestBehindFirst(Claim a, Claim b) {
    if (a.decision().action() != Action.SCALE_OUT || b.decision().action() != Action.SCALE_OUT) {
      return 0;
    }
    return compareFractions(
        b.decision().backlog(),
        Math.max(1, b.decision().current()),
        a.decision().backlog(),
        Math.max(1, a.decision().current()));
  }

  /** Scale-ins: (current - desired) / current, the largest first. */
  private static int largestReductionFirst(Claim a, Claim b) {
    if (a.decision().action() != Action.SCALE_IN || b.decision().action() != Action.SCALE_IN) {
      return 0;
    }
    return compareFractions(
        b.decision().current() - b.decision().desired(),
        b.decision().current(),
        a.decision().current() - a.decision().desired(),
        a.decision().current());
  }

  /** Compares n1 / d1 with n2 / d2 for d1, d2 > 0, without overflow. */
  private static int compareFractions(long n1, long d1, long n2, long d2) {
    return BigInteger.valueOf(n1)
        .multiply(BigInteger.valueOf(d2))
        .compareTo(BigInteger.valueOf(n2).multiply(BigInteger.valueOf(d1)));
  }
}
