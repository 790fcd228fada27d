package dev.queuescaler.scaler.policy;

/**
 * The queue's approximate message counts at one instant.
 *
 * @param visible messages available for retrieval (ApproximateNumberOfMessages), >= 0
 * @param inFlight messages received but not yet deleted (...NotVisible), >= 0
 * @param delayed messages not yet available because of a delay (...Delayed), >= 0
 */
public record QueueSnapshot(long visible, long inFlight, long delayed) {

  public QueueSnapshot {
    requireNotNegative("visible", visible);
    requireNotNegative("inFlight", inFlight);
    requireNotNegative("delayed", delayed);
  }

  private static void requireNotNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
    }
  }
}
