package dev.queuescaler.local;

import dev.queuescaler.worker.MessageHandler;
import dev.queuescaler.worker.ReceivedMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Does the work and records the age of each message it processed (send to start of processing): the
 * summary's ages are those of the processed messages, so a message whose work fails, or is still
 * running when the run ends, adds none.
 */
final class AgeRecordingHandler implements MessageHandler {

  private final MessageHandler work;
  private final Clock clock;
  private final List<Double> ages = Collections.synchronizedList(new ArrayList<>());

  AgeRecordingHandler(MessageHandler work, Clock clock) {
    this.work = work;
    this.clock = clock;
  }

  @Override
  public void handle(ReceivedMessage message) throws Exception {
    var started = clock.instant();
    work.handle(message);
    message
        .sentAt()
        .ifPresent(sent -> ages.add(Duration.between(sent, started).toMillis() / 1000.0));
  }

  /** The {@code q} quantile of the ages so far, in seconds; empty with no message. */
  OptionalDouble quantile(double q) {
    List<Double> sorted;
    synchronized (ages) {
      sorted = new ArrayList<>(ages);
    }
    if (sorted.isEmpty()) {
      return OptionalDouble.empty();
    }
    Collections.sort(sorted);
    return OptionalDouble.of(sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1)));
  }
}
