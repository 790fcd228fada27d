package dev.queuescaler.scaler.cycle;

import dev.queuescaler.testsupport.MutableClock;

/**
 * The ports of a cycle run in virtual time: its pauses advance {@code clock}, it publishes no
 * events, and it logs and traces nothing; what a test looks at is passed in.
 */
final class VirtualTimePorts {

  private VirtualTimePorts() {}

  static ScalingCycle.Ports of(
      ParameterSource parameters,
      QueueProbe queues,
      ServiceScaler services,
      DecisionStore store,
      DecisionSink sink,
      MutableClock clock) {
    return new ScalingCycle.Ports(
        parameters,
        queues,
        services,
        store,
        decision -> {},
        sink,
        OperatorLog.NONE,
        Tracing.NONE,
        clock,
        clock::advanceTo);
  }
}
