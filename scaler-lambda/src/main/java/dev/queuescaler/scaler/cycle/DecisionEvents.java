package dev.queuescaler.scaler.cycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Announces scaling decisions to other systems (EventBridge). */
public interface DecisionEvents {

  /**
   * @throws RuntimeException when the event was not accepted
   */
  void publish(DecisionRecord decision);

  /**
   * Announces many decisions; each entry's failure is its own (empty when accepted). This default
   * publishes them one by one; EventBridge takes ten entries a call.
   */
  default List<Optional<RuntimeException>> publishAll(List<DecisionRecord> decisions) {
    List<Optional<RuntimeException>> results = new ArrayList<>();
    for (DecisionRecord decision : decisions) {
      try {
        publish(decision);
        results.add(Optional.empty());
      } catch (RuntimeException e) {
        results.add(Optional.of(e));
      }
    }
    return results;
  }

  DecisionEvents NONE = decision -> {};
}
