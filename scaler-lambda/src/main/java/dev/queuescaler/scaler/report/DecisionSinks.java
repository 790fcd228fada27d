package dev.queuescaler.scaler.report;

import dev.queuescaler.scaler.cycle.DecisionSink;
import java.util.List;

/** Several sinks as one, in order. */
public final class DecisionSinks {

  private DecisionSinks() {}

  public static DecisionSink all(DecisionSink... sinks) {
    List<DecisionSink> list = List.of(sinks);
    return outcome -> list.forEach(sink -> sink.accept(outcome));
  }
}
