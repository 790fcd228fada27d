package dev.queuescaler.local;

import dev.queuescaler.scaler.cycle.OperatorLog;

/**
 * A periodic task that survives its own failures. A {@code ScheduledExecutorService} silently
 * cancels a periodic task whose run throws: the local run would go on without generating, scaling
 * or launching, and say nothing. Each failed run is logged with its cause instead, and the next run
 * happens as scheduled.
 */
final class KeepRunning implements Runnable {

  private final String what;
  private final Runnable task;
  private final OperatorLog log;

  private KeepRunning(String what, Runnable task, OperatorLog log) {
    this.what = what;
    this.task = task;
    this.log = log;
  }

  static Runnable logging(String what, Runnable task, OperatorLog log) {
    return new KeepRunning(what, task, log);
  }

  @Override
  public void run() {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.error(what + " failed, the run goes on and tries again on schedule: " + e);
    }
  }
}
