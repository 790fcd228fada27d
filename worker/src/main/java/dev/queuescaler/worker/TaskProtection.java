package dev.queuescaler.worker;

/**
 * Keeps the ECS task protected from scale-in while it holds messages, so that a scale-in stops idle
 * tasks first. Failure to reach the agent is logged, never fatal.
 */
interface TaskProtection extends AutoCloseable {

  void start();

  /**
   * Stops following the worker's load: no new check starts, and the protection stays as it is until
   * {@link #close()} (a call to the agent already under way still ends). A stop calls it first, so
   * that a stop that leaves the worker holding no message for a while (its give-back, a loop's long
   * poll, the last deletes) cannot have the protection released before the stop's report: the
   * stop's own release, if the task is protected, comes after the report.
   */
  void holdUntilClose();

  @Override
  void close();

  TaskProtection NONE =
      new TaskProtection() {
        @Override
        public void start() {}

        @Override
        public void holdUntilClose() {}

        @Override
        public void close() {}
      };
}
