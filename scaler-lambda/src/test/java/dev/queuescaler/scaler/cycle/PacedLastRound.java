package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.policy.BacklogRules;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * The world of a round at 45 s of a 90 s invocation at the production per-call budget (an action
 * starts no later than 48 s), each update taking a second of the clock: only four actions start in
 * time. Updates are recorded as {@code service=count@second}. The deployed function has 8 s more
 * (its 100 s timeout less the 2 s flush, {@code FunctionTimeout.DEPLOYED}); this round is kept
 * tighter so that the deadline, not the round's length, decides which actions start.
 */
final class PacedLastRound {

  final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  final MutableClock clock = new MutableClock(start);
  final List<String> updates = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();

  /** A service's count until the scaler sets it: the service's name and the second it is read. */
  private final BiFunction<String, Long, Integer> unset;

  /** The cycles each target waited for the update budget before this one, as a cycle loads them. */
  private final WaitingTargets waiting;

  PacedLastRound(BiFunction<String, Long, Integer> unset) {
    this(unset, WaitingTargets.inMemory());
  }

  PacedLastRound(BiFunction<String, Long, Integer> unset, WaitingTargets waiting) {
    this.unset = unset;
    this.waiting = waiting;
  }

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          return snapshot(ref);
        }

        @Override
        public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
          Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
          refs.forEach(ref -> readings.put(ref, ServiceReading.of(snapshot(ref))));
          return readings;
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          clock.advance(Duration.ofSeconds(1)); // the update pacer's slot, one a second
          desired.put(ref.service(), count);
          updates.add(ref.service() + "=" + count + "@" + secondsIn());
        }
      };

  private ServiceSnapshot snapshot(ServiceRef ref) {
    int count = desired.getOrDefault(ref.service(), unset.apply(ref.service(), secondsIn()));
    return new ServiceSnapshot(count, count, 0);
  }

  long secondsIn() {
    return secondsAt(clock.instant());
  }

  /** Whole seconds from the invocation's start to {@code time}. */
  long secondsAt(Instant time) {
    return Duration.between(start, time).toSeconds();
  }

  /**
   * One invocation of {@code names}, each with backlog-per-task 10, 15 s sampling and {@code keys}
   * (key to value), their queues showing {@code visible} at each second of the invocation.
   */
  CycleReport invocation(List<String> names, Map<String, String> keys, LongFunction<Long> visible) {
    return invocationOfQueues(names, keys, (name, second) -> visible.apply(second));
  }

  /**
   * One invocation of {@code names} as {@link #invocation}, each target's queue showing {@code
   * visible} (target name, second) at each second of the invocation.
   */
  CycleReport invocationOfQueues(
      List<String> names, Map<String, String> keys, BiFunction<String, Long, Long> visible) {
    try (ScalingCycle cycle = cycle(names, keys, visible)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(90)))
              .within(Duration.ofMinutes(1)));
    }
  }

  /**
   * A check invocation of {@code names} from the scheduled invocation at {@code start}, due at
   * {@code offset}, run when the clock is there, with 88 s from the check's own start: the
   * function's old 90 s timeout less the spans' 2 s flush, 10 s tighter than the deployed one.
   */
  CycleReport check(
      List<String> names, Duration offset, Map<String, String> keys, LongFunction<Long> visible) {
    try (ScalingCycle cycle = cycle(names, keys, (name, second) -> visible.apply(second))) {
      clock.advance(Duration.between(clock.instant(), start.plus(offset)));
      IdleCheck check =
          new IdleCheck(
              start,
              offset,
              names.stream()
                  .map(
                      name ->
                          new IdleCheck.Target(
                              new dev.queuescaler.scaler.config.TargetName(name),
                              "https://sqs.local/0/" + name,
                              BacklogRules.DEFAULTS))
                  .toList());
      return cycle.check(
          List.of(check), Deadline.at(clock.instant().plusSeconds(88)), Duration.ofMinutes(1));
    }
  }

  /**
   * A cycle over {@code names}, each with backlog-per-task 10, 15 s sampling and {@code keys} (key
   * to value), each target's queue showing {@code visible} (target name, second) at each second of
   * the invocation, its waits moving the clock.
   */
  private ScalingCycle cycle(
      List<String> names, Map<String, String> keys, BiFunction<String, Long, Long> visible) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String name : names) {
      FixedParameters.putTarget(parameters, name);
      parameters.put(name + "/backlog-per-task", "10");
      parameters.put(name + "/sample-interval-seconds", "15");
      keys.forEach((key, value) -> parameters.put(name + "/" + key, value));
    }
    return new ScalingCycle(
        VirtualTimePorts.of(
            FixedParameters.of(parameters),
            url ->
                new QueueSnapshot(
                    visible.apply(url.substring(url.lastIndexOf('/') + 1), secondsIn()), 0, 0),
            services,
            new InMemoryDecisionStore(),
            outcome -> {},
            clock),
        1,
        AwsClients.WORST_CALL,
        waiting);
  }
}
