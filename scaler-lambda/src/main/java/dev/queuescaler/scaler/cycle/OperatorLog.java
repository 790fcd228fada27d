package dev.queuescaler.scaler.cycle;

/** Structured log lines for the operator, apart from the decision lines. */
public interface OperatorLog {

  void info(String message);

  void warn(String message);

  void error(String message);
}
