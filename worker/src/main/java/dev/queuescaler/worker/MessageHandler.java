package dev.queuescaler.worker;

/**
 * The work done for one message: replace {@link SimulatedWork} with your own. Returning normally
 * means done (the message is deleted); throwing means failed (it is not deleted, comes back after
 * the visibility timeout, and after the queue's maxReceiveCount lands in the dead-letter queue).
 * Called on many threads at once.
 */
@FunctionalInterface
public interface MessageHandler {

  void handle(ReceivedMessage message) throws Exception;
}
