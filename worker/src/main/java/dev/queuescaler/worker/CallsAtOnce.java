package dev.queuescaler.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Batch calls for many messages made at once, ten messages a call, each on a thread of its own
 * while one is free. Made one after another on the heartbeat thread, they took the sum of their
 * times: with SQS answering slowly (each call up to its bound), the calls at the end came after the
 * visibility of the messages they were for had run out, and the heartbeats that thread owes the
 * other messages waited behind them.
 */
final class CallsAtOnce {

  private CallsAtOnce() {}

  /**
   * Makes {@code call} for each ten of {@code handles}, in order, on {@code threads}, and returns
   * once every call made is done (the heartbeat thread's next step comes after them). Returns the
   * handles of the calls not made: {@code threads} refused them (the worker's stop has ended them).
   * A call that throws (a bug, not an answer from SQS: its answers are read into its result) is
   * thrown on once all are done, for the calling thread's guard to report.
   */
  static List<String> inTens(Executor threads, List<String> handles, Consumer<List<String>> call) {
    List<CompletableFuture<Void>> made = new ArrayList<>();
    List<String> notMade = new ArrayList<>();
    for (int from = 0; from < handles.size(); from += SqsBatches.MAX_ENTRIES) {
      List<String> ten =
          List.copyOf(
              handles.subList(from, Math.min(handles.size(), from + SqsBatches.MAX_ENTRIES)));
      try {
        made.add(CompletableFuture.runAsync(() -> call.accept(ten), threads));
      } catch (RejectedExecutionException e) {
        notMade.addAll(handles.subList(from, handles.size()));
        break;
      }
    }
    awaitAll(made);
    return notMade;
  }

  private static void awaitAll(List<CompletableFuture<Void>> made) {
    try {
      CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      // Only the end of the worker's stop interrupts the heartbeat thread, after the give-back.
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
