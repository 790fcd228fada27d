package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened for one target in one cycle: the decision line's source, and the EventBridge
 * event's and the X-Ray annotations'. Only what was read is present: a queue or service that could
 * not be read leaves its values empty (the line writes {@code null}), never zeros that look like an
 * empty queue or a stopped service.
 *
 * @param target the target's name
 * @param queue the queue's counts, when read
 * @param backlog the messages counted as backlog, when the queue was read
 * @param service the service's counts, when read
 * @param recommended the formula's count, when it could be computed
 * @param desired the count set (or kept), when the service was read; empty too after an
 *     UpdateService whose outcome is unknown (UPDATE_FAILED after a timeout, a 5xx or a reset
 *     connection): ECS may or may not apply the count in {@code recommended}
 * @param action what was done
 * @param reason why
 * @param dryRun whether the decision was only reported
 * @param errors what went wrong, in the order it happened
 * @param time the cycle's time for this target
 * @param landedLate whether this record announces an earlier sample's action that landed after that
 *     sample's read-back (its UpdateService's outcome was unknown): then {@code current} is the
 *     count that action was decided from, {@code desired} its count, {@code reason} its reason, and
 *     {@code recommended} empty; the queue, the tasks and {@code time} are those of the sample that
 *     saw it landed ({@link TargetOutcome#lateLanding})
 */
public record DecisionRecord(
    String target,
    Optional<QueueSnapshot> queue,
    Optional<Long> backlog,
    Optional<ServiceSnapshot> service,
    Optional<Integer> recommended,
    Optional<Integer> desired,
    Action action,
    Reason reason,
    boolean dryRun,
    List<String> errors,
    Instant time,
    boolean landedLate) {

  public DecisionRecord {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(backlog, "backlog");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(recommended, "recommended");
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
    errors = List.copyOf(errors);
    if (landedLate && (action == Action.HOLD || dryRun)) {
      throw new IllegalArgumentException("only a scale that happened lands late, not " + action);
    }
  }

  /** A sample's own decision. */
  public DecisionRecord(
      String target,
      Optional<QueueSnapshot> queue,
      Optional<Long> backlog,
      Optional<ServiceSnapshot> service,
      Optional<Integer> recommended,
      Optional<Integer> desired,
      Action action,
      Reason reason,
      boolean dryRun,
      List<String> errors,
      Instant time) {
    this(
        target,
        queue,
        backlog,
        service,
        recommended,
        desired,
        action,
        reason,
        dryRun,
        errors,
        time,
        false);
  }

  public Optional<Long> visible() {
    return queue.map(QueueSnapshot::visible);
  }

  public Optional<Long> inFlight() {
    return queue.map(QueueSnapshot::inFlight);
  }

  public Optional<Long> delayed() {
    return queue.map(QueueSnapshot::delayed);
  }

  /** The desired count the service had when the decision was made. */
  public Optional<Integer> current() {
    return service.map(ServiceSnapshot::desired);
  }

  public Optional<Integer> running() {
    return service.map(ServiceSnapshot::running);
  }

  public Optional<Integer> pending() {
    return service.map(ServiceSnapshot::pending);
  }

  /** The same record with one more error. */
  public DecisionRecord withError(String error) {
    List<String> more = new ArrayList<>(errors);
    more.add(error);
    return new DecisionRecord(
        target,
        queue,
        backlog,
        service,
        recommended,
        desired,
        action,
        reason,
        dryRun,
        more,
        time,
        landedLate);
  }
}
