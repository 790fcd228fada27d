package dev.queuescaler.scaler.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes one cycle at a time the one that acts for a scaler (its prefix and state table): the
 * Lambda's invocations, and the CLI's {@code once} beside them, take it before they read or decide
 * and give it back when they end. A holder that dies leaves it to expire at the end it asked for
 * (the Lambda's deadline), so a killed invocation blocks the next for at most the skew allowance.
 *
 * <p>The lease makes overlap rare, not impossible (a holder whose clock is far behind, a cycle that
 * outlives its lease): the per-target rules of {@code TargetCycle} still keep each target safe.
 */
public interface CycleLease {

  /**
   * How far a cycle's clock may be from AWS's: a lease adapter refuses a cycle whose clock is
   * further off, before it writes anything.
   */
  Duration MAX_CLOCK_OFFSET = Duration.ofSeconds(5);

  /**
   * How much two holders' clocks may differ (each within {@link #MAX_CLOCK_OFFSET} of AWS's): an
   * acquirer treats a lease as ended only this long after its stated end.
   */
  Duration SKEW_ALLOWANCE = MAX_CLOCK_OFFSET.multipliedBy(2);

  /** Who holds the lease and until when, by the holder's clock. */
  record Holder(String id, Instant until) {
    public Holder {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(until, "until");
    }
  }

  /**
   * Takes the lease for {@code me} until {@code me.until()}, unless another holder's lease has not
   * ended (with the skew allowance) at {@code now}. Taking it again as the same holder succeeds.
   *
   * @return empty when taken; otherwise the holder that has it
   * @throws RuntimeException when the lease cannot be read or written
   */
  Optional<Holder> tryAcquire(Holder me, Instant now);

  /** Gives the lease back if {@code me} still holds it; never throws. */
  void release(Holder me);

  /** A lease held in this process alone: one container, a local run, the simulator. */
  static CycleLease inProcess() {
    return new CycleLease() {
      private Optional<Holder> held = Optional.empty();

      @Override
      public synchronized Optional<Holder> tryAcquire(Holder me, Instant now) {
        Optional<Holder> other =
            held.filter(h -> !h.id().equals(me.id()))
                .filter(h -> !h.until().plus(SKEW_ALLOWANCE).isBefore(now));
        if (other.isPresent()) {
          return other;
        }
        held = Optional.of(me);
        return Optional.empty();
      }

      @Override
      public synchronized void release(Holder me) {
        if (held.filter(h -> h.id().equals(me.id())).isPresent()) {
          held = Optional.empty();
        }
      }
    };
  }
}
