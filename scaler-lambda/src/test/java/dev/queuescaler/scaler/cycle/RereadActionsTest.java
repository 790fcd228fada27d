package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A round's acting targets read their remembered services again before they act. One of them finds
 * its count already where it wanted it (someone set it in the console): it has no update to make,
 * so the update budget, spent to its end on the others, must not fail it.
 *
 * <p>The round at 45 s of a 90 s invocation, at the production per-call budget (an action starts no
 * later than 48 s), each update taking a second: the four scale-outs start at 45 to 48 s.
 */
class RereadActionsTest {

  // An operator sets f to ten tasks in the console at 20 s: this container remembers five.
  private final PacedLastRound world =
      new PacedLastRound((service, second) -> service.equals("f-svc") && second >= 20 ? 10 : 5);

  @Test
  void aTargetWhoseRereadShowsItsCountAlreadySetHoldsWithoutFailingTheCycle() {
    CycleReport report =
        world.invocation(
            List.of("a", "b", "c", "d", "f"),
            Map.of(),
            // Five targets at five tasks; their queues double just before 45 s.
            second -> second >= 45 ? 100L : 50L);

    assertThat(world.updates)
        .as("the four scale-outs start in time")
        .containsExactly("a-svc=10@46", "b-svc=10@47", "c-svc=10@48", "d-svc=10@49");
    assertThat(report.outcomes())
        .filteredOn(outcome -> outcome.decision().target().equals("f"))
        .filteredOn(outcome -> !outcome.decision().time().isBefore(world.start.plusSeconds(45)))
        .as("f read 10, wants 10: nothing to update, so nothing to be out of time for")
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.decision().action()).isEqualTo(Action.HOLD);
              assertThat(outcome.decision().reason()).isNotEqualTo(Reason.OUT_OF_TIME);
            });
    assertThat(report.failures()).as("every update the round needed was made").isEmpty();
  }
}
