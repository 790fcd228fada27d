package dev.queuescaler.scaler.cycle;

import java.time.Instant;
import java.util.List;

/**
 * Sends the idle checks a scheduled invocation leaves when it ends, each to arrive at its due time
 * (the stack's checks queue, its messages delayed; the function is that queue's consumer).
 */
public interface IdleCheckTrigger {

  /** No checks queue (the CLI, a local run): an idle target is read by the next invocation. */
  IdleCheckTrigger NONE = (checks, now) -> {};

  /**
   * Sends {@code checks}, each delayed until its {@link IdleCheck#due()} as seen at {@code now}.
   *
   * @throws RuntimeException naming what was not sent
   */
  void send(List<IdleCheck> checks, Instant now);
}
