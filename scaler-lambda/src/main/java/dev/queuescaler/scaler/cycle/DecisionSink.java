package dev.queuescaler.scaler.cycle;

/** Receives every target's final decision record: the decision line, metrics. Never throws. */
public interface DecisionSink {

  void accept(TargetOutcome outcome);
}
