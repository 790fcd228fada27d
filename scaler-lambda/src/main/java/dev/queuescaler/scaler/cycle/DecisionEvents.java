package dev.queuescaler.scaler.cycle;

import java.time.Duration;
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

  /**
   * Announces {@code decisions} in order, no call running past {@code within} from now: the results
   * of the entries tried, which are the first ones; the others were not tried, for want of time,
   * and may be given again. The cycle gives the time until its next round, so that a slow bus never
   * delays a sample. A time, not an instant: the cycle's clock may be a test's virtual one, the
   * calls' the machine's. This default ignores {@code within}, for ports that answer at once (a
   * local run, tests); EventBridge's bounds each call.
   */
  default List<Optional<RuntimeException>> publishAll(
      List<DecisionRecord> decisions, Duration within) {
    return publishAll(decisions);
  }

  /**
   * A failure after which the bus may still have taken the event: a call cut off by its timeout, or
   * one that failed after the SDK sent it again (an earlier attempt's answer lost on the way). Its
   * message is its cause's. A consumer can so see an event twice (docs/operating.md).
   */
  final class MaybeSent extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MaybeSent(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  DecisionEvents NONE = decision -> {};
}
