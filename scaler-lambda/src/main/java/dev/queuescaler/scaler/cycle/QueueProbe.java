package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.QueueSnapshot;

/** Reads a queue's approximate message counts. */
public interface QueueProbe {

  /**
   * @throws RuntimeException with a message that names the queue when it cannot be read
   */
  QueueSnapshot read(String queueUrl);
}
