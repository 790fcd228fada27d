package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A round's actions take their turns in the order the turns were handed out. */
class ActingOrderTest {

  @Test
  void aTurnComesOnlyOnceEveryEarlierTurnHasEnded() throws Exception {
    ActingOrder order = new ActingOrder();
    TargetCycle.Turn first = order.next();
    TargetCycle.Turn second = order.next();
    List<String> events = Collections.synchronizedList(new ArrayList<>());

    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                int wentFirst = second.await();
                events.add("second");
                return wentFirst;
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    first.await();
    Thread.sleep(50);
    events.add("first");
    first.end(true);

    assertThat(waiting.get(5, TimeUnit.SECONDS)).as("the updates that went first").isEqualTo(1);
    assertThat(events).containsExactly("first", "second");
  }

  @Test
  void aTurnGivenUpBeforeItCameIsSkipped() throws Exception {
    ActingOrder order = new ActingOrder();
    TargetCycle.Turn first = order.next();
    TargetCycle.Turn failed = order.next();
    TargetCycle.Turn third = order.next();

    failed.end(false); // its task failed before its turn
    first.await();
    first.end(false);
    first.end(true); // ending twice changes nothing

    assertThat(CompletableFuture.supplyAsync(() -> awaitQuietly(third)).get(5, TimeUnit.SECONDS))
        .as("no update started before it")
        .isZero();
  }

  private static int awaitQuietly(TargetCycle.Turn turn) {
    try {
      return turn.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
