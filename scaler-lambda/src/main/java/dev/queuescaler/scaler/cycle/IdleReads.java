package dev.queuescaler.scaler.cycle;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Reads of idle targets' queues (one GetQueueAttributes each) on the pool, by a cutoff: the last
 * moment what a read finds can still be decided. A read still waiting for a thread at the cutoff
 * does not start, and one not answered by then is not waited for: a read that has started cannot be
 * stopped ({@code Future.cancel(false)} answers {@code true} for a running task, which goes on), so
 * its thread finishes the call, at most the call's timeout, after the cycle may have ended, and the
 * answer is dropped. Its trace outlives the cycle with it: the call is sent, ended, by its thread
 * (in the Lambda, {@code XRayLambdaDocuments#sendEndedChildren} keeps it out of the cycle's own
 * document). Without the cutoff, a fleet's reads while SQS answers each at its timeout (1,000 reads
 * of 15 s on 8 threads: half an hour) would run the scheduled invocation into the function's
 * timeout, and hold a check invocation, and with it the function that runs one invocation at a
 * time, through the minute's scheduled invocation.
 */
final class IdleReads {

  /** How often the wait looks at the clock: the cutoff is on the cycle's clock. */
  private static final long POLL_MILLIS = 20;

  /** What a read found. */
  enum Found {
    /** Nothing that counts: the target stays idle. */
    STILL_IDLE,
    /** Something that counts: the target is decided. */
    FILLED,
    /** The read failed: {@link Read#failure()} says why. */
    FAILED,
    /** Not started, or not answered, by the cutoff. */
    NOT_READ
  }

  /**
   * One target's read.
   *
   * @param failure present exactly when {@code found} is {@link Found#FAILED}
   */
  record Read(Found found, Optional<Throwable> failure) {
    Read {
      Objects.requireNonNull(found, "found");
      Objects.requireNonNull(failure, "failure");
      if ((found == Found.FAILED) != failure.isPresent()) {
        throw new IllegalArgumentException("a failure goes with FAILED alone, not " + found);
      }
    }

    static Read of(Found found) {
      return new Read(found, Optional.empty());
    }
  }

  private final ExecutorService pool;
  private final Clock clock;
  private final Tracing tracing;

  /**
   * Reads on {@code pool}, each in the trace of the thread that asks for them ({@code tracing}).
   */
  IdleReads(ExecutorService pool, Clock clock, Tracing tracing) {
    this.pool = pool;
    this.clock = clock;
    this.tracing = tracing;
  }

  /**
   * Reads each target's queue with {@code stillIdleReads} (per target: whether its queue is still
   * idle), in their order, none started or waited for from {@code cutoff} on. Each read's AWS call
   * is a child of the span current here (the cycle), as the calls of the decisions on the pool are.
   */
  <K> Map<K, Read> read(Map<K, BooleanSupplier> stillIdleReads, Instant cutoff)
      throws InterruptedException {
    Map<K, Pending> running = new LinkedHashMap<>();
    stillIdleReads.forEach(
        (target, stillIdle) -> {
          AtomicBoolean claimed = new AtomicBoolean();
          Future<Found> read =
              pool.submit(
                  tracing.carryOver(
                      () -> {
                        // Given up before it started, or too late to be decided: never starts.
                        if (!claimed.compareAndSet(false, true)
                            || !clock.instant().isBefore(cutoff)) {
                          return Found.NOT_READ;
                        }
                        return stillIdle.getAsBoolean() ? Found.STILL_IDLE : Found.FILLED;
                      }));
          running.put(target, new Pending(read, claimed));
        });
    Map<K, Read> found = new LinkedHashMap<>();
    try {
      for (Map.Entry<K, Pending> read : running.entrySet()) {
        found.put(read.getKey(), await(read.getValue(), cutoff));
      }
    } finally {
      // Interrupted: the reads not started yet never start; those started finish their call.
      running.values().forEach(Pending::giveUp);
    }
    return found;
  }

  /**
   * A read on the pool, and whether it has been claimed: by its task as it starts, or by the wait
   * as it gives the read up before it started.
   */
  private record Pending(Future<Found> future, AtomicBoolean claimed) {
    /** Whether the read never starts: it had not started, and now will not. */
    boolean giveUp() {
      if (claimed.compareAndSet(false, true)) {
        future.cancel(false);
        return true;
      }
      return false;
    }
  }

  private Read await(Pending pending, Instant cutoff) throws InterruptedException {
    Future<Found> read = pending.future();
    while (!read.isDone()) {
      // Past the cutoff a read not answered is given up at once, not polled: a thousand reads
      // still waiting for a thread would otherwise cost the poll's 20 ms each. One that has
      // started goes on (cancel(false) would not stop it, whatever it answers): it is not waited
      // for, and what it finds is dropped.
      if (!clock.instant().isBefore(cutoff)) {
        if (pending.giveUp() || !read.isDone()) {
          return Read.of(Found.NOT_READ);
        }
        break; // answered just then: taken below
      }
      try {
        read.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // answered with a failure (taken below), or not answered yet: the loop looks again
      }
    }
    try {
      return Read.of(read.get());
    } catch (ExecutionException e) {
      return new Read(Found.FAILED, Optional.of(e.getCause()));
    }
  }
}
