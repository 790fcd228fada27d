package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Task-minutes are what Fargate bills: per second, from launch to stop, one minute at least. */
class FargateBillingTest {

  /** Starts one task at {@code up} and stops it at {@code down}. */
  private static Controller blip(int up, int down) {
    return new Controller() {
      @Override
      public String name() {
        return "blip";
      }

      @Override
      public String settings() {
        return "one task from " + up + " s to " + down + " s";
      }

      @Override
      public void tick(int second, World world) {
        if (second == up) {
          world.setDesired(1);
        } else if (second == down) {
          world.setDesired(0);
        }
      }
    };
  }

  private static double taskMinutes(Controller controller) {
    Workload idle = Workload.of(new int[600], 1.0, 0.0, 1, "idle");
    return new Simulation(SimConfig.defaults(), idle, controller).run().taskMinutes();
  }

  @Test
  void aTaskStoppedAfterTenSecondsIsBilledAMinute() {
    assertThat(taskMinutes(blip(0, 10))).isEqualTo(1.0);
  }

  @Test
  void beyondTheMinuteEverySecondCounts() {
    assertThat(taskMinutes(blip(0, 90))).isEqualTo(1.5);
  }
}
