package dev.queuescaler.scaler.cycle;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Where the cycle's trace goes: the X-Ray SDK or OpenTelemetry (the {@code tracing} package), or
 * nowhere.
 */
public interface Tracing {

  /** Runs a whole cycle under the trace's root. */
  <T> T cycle(Supplier<T> work);

  /** Runs one target's cycle in its own span, annotated with the decision it returns. */
  TargetOutcome decide(Supplier<TargetOutcome> work);

  /**
   * Runs the action a target decided earlier in its round (its state write and update, in the
   * round's order of urgency) in a span of its own, annotated with what was done: the decide span
   * says what the policy asked for, this one whether it happened (an action the deadline left out
   * is OUT_OF_TIME here).
   */
  TargetOutcome act(Supplier<TargetOutcome> work);

  /** Wraps work handed to another thread so that its spans join the current trace. */
  <T> Callable<T> carryOver(Callable<T> task);

  /**
   * The current trace's id as X-Ray writes it ({@code 1-6566f1b0-00112233445566778899aabb}), so a
   * log line leads to its trace in either system; empty outside a trace.
   */
  default Optional<String> traceId() {
    return Optional.empty();
  }

  Tracing NONE =
      new Tracing() {
        @Override
        public <T> T cycle(Supplier<T> work) {
          return work.get();
        }

        @Override
        public TargetOutcome decide(Supplier<TargetOutcome> work) {
          return work.get();
        }

        @Override
        public TargetOutcome act(Supplier<TargetOutcome> work) {
          return work.get();
        }

        @Override
        public <T> Callable<T> carryOver(Callable<T> task) {
          return task;
        }
      };
}
