package dev.queuescaler.worker;

/**
 * Keeps the ECS task protected from scale-in while it holds messages, so that a scale-in stops idle
 * tasks first. Failure to reach the agent is logged, never fatal.
 */
interface TaskProtection extends AutoCloseable {

  void start();

  @Override
  void close();

  TaskProtection NONE =
      new TaskProtection() {
        @Override
        public void start() {}

        @Override
        public void close() {}
      };
}
