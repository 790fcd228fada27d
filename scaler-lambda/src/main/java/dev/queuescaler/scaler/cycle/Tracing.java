package dev.queuescaler.scaler.cycle;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Where the cycle's trace goes. The X-Ray adapter implements it; a move to OpenTelemetry replaces
 * only that adapter.
 */
public interface Tracing {

  /** Runs a whole cycle under the trace's root. */
  <T> T cycle(Supplier<T> work);

  /** Runs one target's cycle in its own span, annotated with the decision it returns. */
  TargetOutcome decide(Supplier<TargetOutcome> work);

  /** Wraps work handed to another thread so that its spans join the current trace. */
  <T> Callable<T> carryOver(Callable<T> task);

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
        public <T> Callable<T> carryOver(Callable<T> task) {
          return task;
        }
      };
}
