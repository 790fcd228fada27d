package dev.queuescaler.worker;

/**
 * Keeps the ECS task protected from scale-in while it holds messages, so that a scale-in stops idle
 * tasks first. Failure to reach the agent is logged, never fatal.
 */
interface TaskProtection extends AutoCloseable {

  void start();

  /**
   * Stops following the worker's load: the protection stays as it is until {@link #close()}. A stop
   * calls it first, so that handing its messages back (which leaves the worker holding none) cannot
   * release the protection before the stop's report; the release is the stop's last call.
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
