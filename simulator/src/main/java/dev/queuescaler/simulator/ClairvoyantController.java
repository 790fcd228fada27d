package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The clairvoyant bound: fleets run by an oracle that knows every arrival and every message's work
 * in advance, on the same fleet (launch delays, billing, slots per task, task protection) as every
 * policy; the cheapest of them that starts every message within the SLO age is the bound.
 *
 * <p>One oracle per smoothing horizon {@code h}: at each second it wants the slots that the work
 * due to start in the next {@code h} seconds (every message by its deadline, arrival + SLO) needs
 * on average, asks for them a launch delay ahead, and keeps them through gaps shorter than a minute
 * (Fargate bills a minute at least). A short horizon follows the load closely and pays for bursts;
 * a long one starts work early and keeps a steadier fleet. {@link #cheapest} tries them all.
 *
 * <p>It is the best of a family of feasible schedules, not a proven optimum: the physical limit a
 * controller that knows nothing of the future can approach. Every policy's cost is reported as a
 * ratio to it.
 */
final class ClairvoyantController implements Controller {

  /** The smoothing horizons tried, in seconds. */
  static final List<Integer> HORIZONS = List.of(1, 5, 15, 30, 60, 120, 300, 600);

  private final int horizon;
  private final int[] ahead;

  ClairvoyantController(SimConfig config, Workload workload, int horizon) {
    this.horizon = horizon;
    int seconds = workload.seconds();
    // Slot-seconds of work due to start at each second if every message started at its deadline.
    double[] due = new double[seconds + 1];
    for (int second = 0; second < seconds; second++) {
      int first = workload.firstMessageAt(second);
      int deadline = (int) Math.min(seconds, second + (long) Math.floor(config.sloSeconds()));
      for (int m = first; m < first + workload.arrivalsAt(second); m++) {
        due[deadline] += workload.workOf(m);
      }
    }
    // Average slots needed over [t, t + horizon), as tasks.
    double[] prefix = new double[due.length + 1];
    for (int i = 0; i < due.length; i++) {
      prefix[i + 1] = prefix[i] + due[i];
    }
    int[] need = new int[seconds];
    for (int second = 0; second < seconds; second++) {
      double window = prefix[Math.min(due.length, second + horizon)] - prefix[second];
      double slots = Math.max(0, window) / horizon;
      need[second] =
          (int) Math.min(Integer.MAX_VALUE, Math.ceil(slots / config.concurrency() - 1e-9));
    }
    // Asked for a launch delay ahead and kept through gaps under a minute: a sliding maximum.
    int lookahead = config.launchMaxSeconds() + Simulation.FARGATE_MINIMUM_SECONDS;
    ahead = new int[seconds];
    Deque<Integer> candidates = new ArrayDeque<>();
    for (int second = seconds - 1; second >= 0; second--) {
      while (!candidates.isEmpty() && need[candidates.peekLast()] <= need[second]) {
        candidates.pollLast();
      }
      candidates.addLast(second);
      while (candidates.peekFirst() > second + lookahead) {
        candidates.pollFirst();
      }
      ahead[second] = need[candidates.peekFirst()];
    }
  }

  /**
   * The cheapest oracle that starts every message within the SLO; when none can (the limits do not
   * allow it), the one that starts the most within it, then the cheapest.
   */
  static Results.PolicyResult cheapest(SimConfig config, Workload workload) {
    Results.PolicyResult best = null;
    for (int horizon : HORIZONS) {
      Results.PolicyResult run =
          new Simulation(config, workload, new ClairvoyantController(config, workload, horizon))
              .run();
      if (best == null
          || run.sloAttainment() > best.sloAttainment()
          || (run.sloAttainment() == best.sloAttainment()
              && run.taskMinutes() < best.taskMinutes())) {
        best = run;
      }
    }
    return best;
  }

  @Override
  public String name() {
    return "clairvoyant";
  }

  @Override
  public String settings() {
    return "knows the future: the cheapest of oracle fleets (smoothing "
        + HORIZONS
        + " s) that start every message within the SLO";
  }

  int horizon() {
    return horizon;
  }

  @Override
  public void tick(int second, World world) {
    world.setDesired(ahead[second]);
  }
}
