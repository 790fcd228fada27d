package dev.queuescaler.simulator;

/** A scaling policy in the simulation: looks at what it can see, sets the desired count. */
interface Controller {

  /** The name in the results ({@code queue-scaler}, {@code keda-hpa}, ...). */
  String name();

  /** The settings it runs with, for the summary. */
  String settings();

  /** Called every simulated second; acts on its own cadence. */
  void tick(int second, World world);
}
