package dev.queuescaler.scaler.cycle;

/** Structured log lines for the operator, apart from the decision lines. */
public interface OperatorLog {

  /** Writes nothing: for benchmarks and tests whose subject is not the log. */
  OperatorLog NONE =
      new OperatorLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void error(String message) {}
      };

  void info(String message);

  void warn(String message);

  void error(String message);
}
