package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.DecisionSink;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import java.io.PrintStream;

/** Prints each decision line, whole, on its stream. */
public final class DecisionLineSink implements DecisionSink {

  private final PrintStream out;

  public DecisionLineSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(TargetOutcome outcome) {
    out.println(DecisionJson.line(outcome.decision()));
    out.flush();
  }
}
