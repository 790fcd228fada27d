package dev.queuescaler.scaler.cycle;

/** Announces scaling decisions to other systems (EventBridge). */
public interface DecisionEvents {

  /**
   * @throws RuntimeException when the event was not accepted
   */
  void publish(DecisionRecord decision);

  DecisionEvents NONE = decision -> {};
}
