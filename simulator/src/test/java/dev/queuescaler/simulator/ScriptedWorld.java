package dev.queuescaler.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * A world whose queue counts follow a script, for testing a controller's cadence and rules alone:
 * the fleet does exactly what it is told, at once, and every change is recorded with its second.
 */
final class ScriptedWorld implements World {

  /** A desired count set at a second. */
  record Change(int second, int desired) {}

  private final SimConfig config;
  private final IntToLongFunction visible;
  private final IntToLongFunction inFlight;
  private final List<Change> changes = new ArrayList<>();
  private int desired;
  private int now;

  ScriptedWorld(
      SimConfig config, int desired, IntToLongFunction visible, IntToLongFunction inFlight) {
    this.config = config;
    this.desired = desired;
    this.visible = visible;
    this.inFlight = inFlight;
  }

  /** Ticks {@code controller} every second from 0 to {@code seconds} - 1. */
  ScriptedWorld run(Controller controller, int seconds) {
    for (now = 0; now < seconds; now++) {
      controller.tick(now, this);
    }
    return this;
  }

  List<Change> changes() {
    return List.copyOf(changes);
  }

  @Override
  public long observedVisible(int second) {
    return visible.applyAsLong(second);
  }

  @Override
  public long observedInFlight(int second) {
    return inFlight.applyAsLong(second);
  }

  @Override
  public int latestPublishedMinute(int second) {
    return Math.floorDiv(second - config.metricDelaySeconds(), 60) - 1;
  }

  @Override
  public long visibleDatapoint(int minute) {
    return visible.applyAsLong(minute * 60 + 59); // one sample a minute, as the simulation takes
  }

  @Override
  public int runningAt(int minute) {
    return desired;
  }

  @Override
  public double busyShareAt(int minute) {
    return 0;
  }

  @Override
  public int desired() {
    return desired;
  }

  @Override
  public int running() {
    return desired;
  }

  @Override
  public int pending() {
    return 0;
  }

  @Override
  public void setDesired(int next) {
    int clamped = Math.max(config.minTasks(), Math.min(config.maxTasks(), next));
    if (clamped != desired) {
      desired = clamped;
      changes.add(new Change(now, clamped));
    }
  }

  @Override
  public SimConfig config() {
    return config;
  }
}
