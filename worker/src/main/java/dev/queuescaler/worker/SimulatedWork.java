package dev.queuescaler.worker;

import dev.queuescaler.message.InvalidMessageException;
import dev.queuescaler.message.WorkMessage;

/**
 * The default handler: reads the generator's message format, sleeps {@code workMillis} (I/O-bound
 * work) and throws when {@code fail} is true. A body that is not a valid work message fails with
 * the reason.
 */
public final class SimulatedWork implements MessageHandler {

  /** The failure a message asked for with {@code "fail": true}. */
  public static final class RequestedFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RequestedFailure(String id) {
      super("message " + id + " asked to fail");
    }
  }

  @Override
  public void handle(ReceivedMessage message)
      throws InvalidMessageException, InterruptedException, RequestedFailure {
    WorkMessage work = WorkMessage.parse(message.body());
    if (work.workMillis() > 0) {
      Thread.sleep(work.workMillis());
    }
    if (work.fail()) {
      throw new RequestedFailure(work.id());
    }
  }
}
