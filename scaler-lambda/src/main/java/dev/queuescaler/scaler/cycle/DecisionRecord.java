package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What happened for one target in one cycle: the decision line's fields, in its order. The same
 * record is the EventBridge event's detail and the X-Ray annotations' source.
 */
public record DecisionRecord(
    String target,
    long visible,
    long inFlight,
    long delayed,
    long backlog,
    int current,
    int running,
    int pending,
    int recommended,
    int desired,
    Action action,
    Reason reason,
    boolean dryRun,
    List<String> errors,
    Instant time) {

  public DecisionRecord {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
    errors = List.copyOf(errors);
  }

  /** The same record with one more error. */
  public DecisionRecord withError(String error) {
    List<String> more = new ArrayList<>(errors);
    more.add(error);
    return new DecisionRecord(
        target,
        visible,
        inFlight,
        delayed,
        backlog,
        current,
        running,
        pending,
        recommended,
        desired,
        action,
        reason,
        dryRun,
        more,
        time);
  }
}
