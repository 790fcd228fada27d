package dev.queuescaler.scaler.cycle;

import java.util.HashSet;
import java.util.Set;

/**
 * The turns of a round's actions, handed out in the order they are taken: a target stores its
 * action and starts its update only after every target before it has started its own (or given up),
 * so the update pacer, which gives out its slots in the order they are asked for, gives them in
 * this order. A turn ends when its update is about to start, not when it is done: the next save
 * overlaps the update, while that update asks for its slot first. The price is that the state
 * writes of a round's changes are one at a time: a slow write (up to its timeout) delays the
 * changes after it, and the deadline, checked in each turn, stops the least urgent.
 */
final class ActingOrder {

  private int issued;
  private int current;
  private int updatesStarted;

  /** Turns given up before they came (a task that failed or was interrupted): skipped. */
  private final Set<Integer> abandoned = new HashSet<>();

  /** The next turn; turns must be taken by tasks that start in the order they were issued. */
  synchronized TargetCycle.Turn next() {
    int ticket = issued++;
    return new TargetCycle.Turn() {
      private boolean ended;

      @Override
      public int await() throws InterruptedException {
        return awaitTurn(ticket);
      }

      @Override
      public void end(boolean updating) {
        synchronized (ActingOrder.this) {
          if (ended) {
            return;
          }
          ended = true;
          endTurn(ticket, updating);
        }
      }
    };
  }

  private synchronized int awaitTurn(int ticket) throws InterruptedException {
    while (current != ticket) {
      wait();
    }
    return updatesStarted;
  }

  private synchronized void endTurn(int ticket, boolean updating) {
    if (current != ticket) {
      abandoned.add(ticket);
      return;
    }
    if (updating) {
      updatesStarted++;
    }
    current++;
    while (abandoned.remove(current)) {
      current++;
    }
    notifyAll();
  }
}
