package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The world the policies act in: a worker takes its next message the moment it deletes one (it
 * long-polls), and what a controller reads is what SQS and ECS would report, the number of messages
 * held on average over the second (Little's law), not the gap a one-second step opens between
 * finishing work and starting more.
 */
class QueueCountsTest {

  /** Records what it reads from {@code from} on; never scales. */
  private static final class Reader implements Controller {
    final int from;
    final List<Long> inFlight = new ArrayList<>();
    final List<Double> busyShare = new ArrayList<>();

    Reader(int from) {
      this.from = from;
    }

    @Override
    public String name() {
      return "reader";
    }

    @Override
    public String settings() {
      return "reads, never scales";
    }

    @Override
    public void tick(int second, World world) {
      if (second < from) {
        return;
      }
      inFlight.add(world.observedInFlight(second));
      if (second % 60 == 0) {
        busyShare.add(world.busyShareAt(second / 60 - 1));
      }
    }
  }

  /** Fixed limits, counts read fresh, every launch 30 s. */
  private static SimConfig fleetOf(int tasks, int slotsPerTask) {
    return new SimConfig(tasks, tasks, slotsPerTask, 0, 60, 30, 30, 120, true, 60, 7);
  }

  /** One task, from second 30, with a backlog far beyond what it can start in 300 s. */
  private static Reader readSaturatedTask() {
    int[] arrivals = new int[300];
    arrivals[0] = 5_000;
    Reader reader = new Reader(120);
    new Simulation(fleetOf(1, 10), Workload.of(arrivals, 1.0, 0.5, 7, "backlog"), reader).run();
    return reader;
  }

  @Test
  void aSaturatedTaskIsSeenHoldingEveryMessageItCanHold() {
    assertThat(readSaturatedTask().inFlight).isNotEmpty().containsOnly(10L);
  }

  @Test
  void aSaturatedTaskIsSeenFullyBusy() {
    assertThat(readSaturatedTask().busyShare).isNotEmpty().containsOnly(1.0);
  }

  @Test
  void theInFlightCountIsTheMeanHeldOverTheSecondByLittlesLaw() {
    // Five messages a second, 1.4 s of work each, on two tasks with room to spare: 7 in flight.
    int[] arrivals = new int[300];
    Arrays.fill(arrivals, 5);
    Reader reader = new Reader(90);
    new Simulation(fleetOf(2, 10), Workload.of(arrivals, 1.4, 0, 7, "steady"), reader).run();

    assertThat(reader.inFlight).isNotEmpty().containsOnly(7L);
  }

  @Test
  void aSlotIsHeldForItsMessagesWorkNotUntilTheNextWholeSecond() {
    // One slot from second 30, half a second of work per message: 150 messages are done by
    // second 105, the last started at 104.5 s.
    int[] arrivals = new int[130];
    arrivals[0] = 150;
    Results.PolicyResult run =
        new Simulation(
                fleetOf(1, 1), Workload.of(arrivals, 0.5, 0, 7, "half-second work"), new Reader(0))
            .run();

    assertThat(run.processed()).isEqualTo(150);
    assertThat(run.maxAgeSeconds()).isEqualTo(104.5);
  }
}
