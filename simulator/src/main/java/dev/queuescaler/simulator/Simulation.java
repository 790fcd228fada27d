package dev.queuescaler.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One run of one controller over one workload, in one-second steps. Each second: work that ends
 * finishes; messages whose visibility timeout ran out come back; new messages arrive; the
 * controller looks (at stale counts) and may set the desired count; the fleet launches or stops
 * tasks toward it; free slots on running tasks take visible messages, oldest first.
 */
final class Simulation implements World {

  /** A task: launched at, running from, stopped at (or still there). */
  private static final class Task {
    final int launchedAt;
    final int readyAt;
    int busy;
    boolean stopping;

    Task(int launchedAt, int readyAt) {
      this.launchedAt = launchedAt;
      this.readyAt = readyAt;
    }
  }

  /** A message being processed: which, on which task, until when. */
  private record Slot(double finishAt, int message, Task task) {}

  /** A message taken from a stopped busy task: visible again at {@code visibleAt}. */
  private record Returning(int visibleAt, int message) {}

  private final SimConfig config;
  private final Workload workload;
  private final Controller controller;
  private final Random launches;

  private final ArrayDeque<Integer> visible = new ArrayDeque<>();
  private final PriorityQueue<Slot> processing =
      new PriorityQueue<>((a, b) -> Double.compare(a.finishAt(), b.finishAt()));
  private final PriorityQueue<Returning> returning =
      new PriorityQueue<>((a, b) -> Integer.compare(a.visibleAt(), b.visibleAt()));
  private final List<Task> tasks = new ArrayList<>();
  private final int[] arrivalSecond;
  private final long[] visibleAt;
  private final long[] inFlightAt;
  private final long[] visibleDatapointOfMinute;
  private final int[] runningAtMinute;
  private final double[] busySlotSecondsOfMinute;
  private final long[] slotSecondsOfMinute;
  private final Results.Recorder results;

  private int desired;
  private int second;
  private int stopWhenIdle;
  private double taskSeconds;
  private double heldSlotSeconds;
  private double heldClock;

  Simulation(SimConfig config, Workload workload, Controller controller) {
    this.config = config;
    this.workload = workload;
    this.controller = controller;
    this.launches = new Random(config.seed() * 31 + 7);
    int seconds = workload.seconds();
    this.visibleAt = new long[seconds];
    this.inFlightAt = new long[seconds];
    this.visibleDatapointOfMinute = new long[seconds / 60 + 2];
    this.runningAtMinute = new int[seconds / 60 + 2];
    this.busySlotSecondsOfMinute = new double[seconds / 60 + 2];
    this.slotSecondsOfMinute = new long[seconds / 60 + 2];
    this.arrivalSecond = new int[workload.messages()];
    this.results = new Results.Recorder(controller.name(), config, workload.messages());
    this.desired = config.minTasks();
  }

  Results.PolicyResult run() {
    for (second = 0; second < workload.seconds(); second++) {
      finishWork();
      returnMessages();
      arrive();
      observe();
      controller.tick(second, this);
      reconcileFleet();
      startWork();
      if (second >= workload.leadInSeconds()) {
        results.sample(second - workload.leadInSeconds(), visible.size(), running());
      }
    }
    for (Task task : tasks) {
      if (!task.stopping) {
        taskSeconds += billed(task.launchedAt, workload.seconds());
      }
    }
    // Messages never started count with the age they had reached when the run ended.
    int end = workload.seconds();
    visible.forEach(m -> results.waiting(end - arrivalSecond[m]));
    returning.forEach(r -> results.waiting(end - arrivalSecond[r.message()]));
    long queued = visible.size() + processing.size() + returning.size();
    return results.finish(taskSeconds, workload.messages(), queued);
  }

  private void finishWork() {
    while (!processing.isEmpty() && processing.peek().finishAt() <= second) {
      advanceHeldClock(processing.peek().finishAt());
      Slot done = processing.poll();
      Task task = done.task();
      task.busy--;
      results.processed();
      // The worker receives the next message as it deletes one (it long-polls): a slot is held
      // for its message's work, not until the next whole second of the simulation.
      if (!visible.isEmpty()) {
        start(task, visible.pollFirst(), done.finishAt());
      } else if (task.busy == 0 && stopWhenIdle > 0 && !task.stopping) {
        stop(task);
        stopWhenIdle--;
      }
    }
  }

  private void returnMessages() {
    while (!returning.isEmpty() && returning.peek().visibleAt() <= second) {
      visible.addFirst(returning.poll().message());
    }
  }

  private void arrive() {
    int first = workload.firstMessageAt(second);
    if (workload.arrivalsAt(second) > 0) {
      results.arrived(second);
    }
    for (int m = first; m < first + workload.arrivalsAt(second); m++) {
      arrivalSecond[m] = second;
      visible.addLast(m);
    }
  }

  private void observe() {
    double held = slotSecondsHeldSinceLastObservation();
    visibleAt[second] = visible.size();
    inFlightAt[second] = Math.round(held) + returning.size();
    int minute = second / 60;
    // One sample a minute, not the minute's maximum: SQS reports its CloudWatch metrics once a
    // minute. Which instant it samples is not documented; the minute's last second is the
    // freshest, the side that helps the alarm policies.
    if (second % 60 == 59) {
      visibleDatapointOfMinute[minute] = visible.size();
    }
    runningAtMinute[minute] = running();
    busySlotSecondsOfMinute[minute] += held;
    slotSecondsOfMinute[minute] += (long) running() * config.concurrency();
    results.backlog(visible.size());
  }

  private void reconcileFleet() {
    int live = 0;
    for (Task task : tasks) {
      if (!task.stopping) {
        live++;
      }
    }
    live -= stopWhenIdle;
    if (desired > live) {
      int cancel = Math.min(stopWhenIdle, desired - live);
      stopWhenIdle -= cancel;
      live += cancel;
      for (int i = live; i < desired; i++) {
        int delay =
            config.launchMinSeconds()
                + launches.nextInt(config.launchMaxSeconds() - config.launchMinSeconds() + 1);
        tasks.add(new Task(second, second + delay));
      }
    } else if (desired < live) {
      int excess = live - desired;
      // Not yet running first, then idle ones; busy ones are protected until they are idle.
      for (Iterator<Task> it = candidates().iterator(); it.hasNext() && excess > 0; ) {
        Task task = it.next();
        if (task.readyAt > second || task.busy == 0) {
          stop(task);
          excess--;
        }
      }
      if (excess > 0 && !config.taskProtection()) {
        for (Task task : candidates()) {
          if (excess == 0) {
            break;
          }
          stop(task);
          excess--;
        }
      }
      stopWhenIdle += excess;
    }
    tasks.removeIf(task -> task.stopping);
  }

  private List<Task> candidates() {
    List<Task> live = new ArrayList<>();
    for (Task task : tasks) {
      if (!task.stopping) {
        live.add(task);
      }
    }
    // Newest first: the ones still launching come before the running ones.
    live.sort((a, b) -> Integer.compare(b.readyAt, a.readyAt));
    return live;
  }

  /**
   * Messages arrive in whole seconds and a worker holds each for its work, so the number held
   * swings within a second. GetQueueAttributes reads it at some instant and a CPU datapoint
   * averages it: both see its mean over the second (Little's law: arrival rate x work time), which
   * is what the observation records, not its value at the step's boundary.
   */
  private double slotSecondsHeldSinceLastObservation() {
    advanceHeldClock(second);
    double held = heldSlotSeconds;
    heldSlotSeconds = 0;
    return held;
  }

  /** Accrues the slot-seconds held up to {@code at}; called before the number held changes. */
  private void advanceHeldClock(double at) {
    heldSlotSeconds += processing.size() * (at - heldClock);
    heldClock = at;
  }

  /**
   * Fargate bills per second with a one-minute minimum, from the start of the image pull (the
   * launch request, here) to the end of the task's stop. Frequent scaling pays for it.
   */
  static double billedSeconds(int launchedAt, int stoppedAt) {
    return Math.max(FARGATE_MINIMUM_SECONDS, stoppedAt - launchedAt);
  }

  /**
   * The bill starts a longest launch before the traffic: a task launched from then on (an oracle
   * getting ready for the first message) pays in full, and one kept through the idle history by a
   * minimum capacity pays from then, so that history costs no policy anything.
   */
  private double billed(int launchedAt, int stoppedAt) {
    int from = Math.max(0, workload.leadInSeconds() - config.launchMaxSeconds());
    if (stoppedAt <= from) {
      return 0;
    }
    return launchedAt >= from ? billedSeconds(launchedAt, stoppedAt) : stoppedAt - from;
  }

  /** Fargate's minimum charge per task (AWS Fargate pricing: per second, 1-minute minimum). */
  static final int FARGATE_MINIMUM_SECONDS = 60;

  private void stop(Task task) {
    advanceHeldClock(second);
    task.stopping = true;
    taskSeconds += billed(task.launchedAt, second);
    if (task.busy > 0) {
      // Unprotected scale-in: the task's messages come back after the visibility timeout.
      List<Slot> kept = new ArrayList<>();
      while (!processing.isEmpty()) {
        Slot slot = processing.poll();
        if (slot.task() == task) {
          returning.add(new Returning(second + config.visibilityTimeoutSeconds(), slot.message()));
        } else {
          kept.add(slot);
        }
      }
      processing.addAll(kept);
      task.busy = 0;
    }
  }

  private void startWork() {
    for (Task task : tasks) {
      if (task.readyAt > second) {
        continue;
      }
      results.taskRunning(second);
      while (task.busy < config.concurrency() && !visible.isEmpty()) {
        start(task, visible.pollFirst(), second);
      }
    }
  }

  private void start(Task task, int message, double at) {
    advanceHeldClock(at);
    task.busy++;
    processing.add(new Slot(at + workload.workOf(message), message, task));
    results.started(at - arrivalSecond[message]);
  }

  @Override
  public long observedVisible(int at) {
    return visibleAt[Math.max(0, at - config.observationLagSeconds())];
  }

  @Override
  public long observedInFlight(int at) {
    return inFlightAt[Math.max(0, at - config.observationLagSeconds())];
  }

  @Override
  public int latestPublishedMinute(int at) {
    return Math.floorDiv(at - config.metricDelaySeconds(), 60) - 1;
  }

  @Override
  public long visibleDatapoint(int minute) {
    return minute < 0 ? 0 : visibleDatapointOfMinute[minute];
  }

  @Override
  public int runningAt(int minute) {
    return minute < 0 ? 0 : runningAtMinute[minute];
  }

  @Override
  public double busyShareAt(int minute) {
    if (minute < 0 || slotSecondsOfMinute[minute] == 0) {
      return 0;
    }
    return Math.min(1.0, busySlotSecondsOfMinute[minute] / slotSecondsOfMinute[minute]);
  }

  @Override
  public int desired() {
    return desired;
  }

  @Override
  public int running() {
    int running = 0;
    for (Task task : tasks) {
      if (!task.stopping && task.readyAt <= second) {
        running++;
      }
    }
    return running;
  }

  @Override
  public int pending() {
    int pending = 0;
    for (Task task : tasks) {
      if (!task.stopping && task.readyAt > second) {
        pending++;
      }
    }
    return pending;
  }

  @Override
  public void setDesired(int next) {
    int clamped = Math.max(config.minTasks(), Math.min(config.maxTasks(), next));
    if (clamped != desired) {
      if (second >= workload.leadInSeconds()) {
        results.scalingAction();
      }
      desired = clamped;
    }
  }

  @Override
  public SimConfig config() {
    return config;
  }
}
