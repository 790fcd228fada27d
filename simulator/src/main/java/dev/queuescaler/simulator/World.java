package dev.queuescaler.simulator;

/**
 * What a controller can see and do: the queue counts as AWS reports them (stale), CloudWatch's
 * 1-minute datapoints (delayed), the service's counts, and the desired count to set.
 */
interface World {

  /** Visible messages as GetQueueAttributes reports them now (that is, some seconds ago). */
  long observedVisible(int second);

  /** In-flight messages as GetQueueAttributes reports them now. */
  long observedInFlight(int second);

  /** The newest minute whose CloudWatch datapoint is published at {@code second}, or -1. */
  int latestPublishedMinute(int second);

  /**
   * CloudWatch's 1-minute datapoint of ApproximateNumberOfMessagesVisible for {@code minute}: one
   * count SQS sampled in that minute (its Maximum over the minute is that one sample).
   */
  long visibleDatapoint(int minute);

  /** Running tasks at the end of {@code minute} (ECS's RunningTaskCount datapoint). */
  int runningAt(int minute);

  /**
   * The service's average CPU over {@code minute} as ECS's CPUUtilization datapoint would show it,
   * 0..1: the share of the running tasks' slots that were busy (the worker's work is the load).
   */
  double busyShareAt(int minute);

  int desired();

  int running();

  int pending();

  void setDesired(int desired);

  SimConfig config();
}
