package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services' counts as this container last read or set them: a target reads its service only
 * where it needs to (before it acts, and once a {@link #SWEEP} to see what others changed), instead
 * of on every sample. Per container; a new one reads every service once.
 *
 * <p>The sweep is staggered: each service's sweep falls due at its own whole minute of the five (a
 * stable hash of its cluster and name), so about a fifth of the services are read again each
 * minute, not all of them every fifth minute. A remembered count stands until the first invocation
 * that starts after the service's next sweep time: at most a {@link #SWEEP} and an invocation, or,
 * if this container's own update to it is still settling then, until the first round after it has
 * settled.
 */
final class ServiceMemory {

  /**
   * How long a remembered count stands in for a read: a change made by someone else (a deploy, the
   * console) is seen within this, and the scaler never acts on a count it has not just read.
   */
  static final Duration SWEEP = Duration.ofMinutes(5);

  private record Remembered(ServiceSnapshot snapshot, Instant readAt, Optional<LastAction> shows) {}

  private final Map<ServiceRef, Remembered> services = new ConcurrentHashMap<>();

  /** A read that started at {@code startedAt}. */
  void read(ServiceRef service, ServiceSnapshot snapshot, Instant startedAt) {
    services.put(service, new Remembered(snapshot, startedAt, Optional.empty()));
  }

  /**
   * This container's update for {@code action} succeeded: the service's count is its count. Its
   * running and pending counts are the ones in {@code seen}, a read the scaler made (the one it
   * decided on, or the read that showed a lost answer's update applied): they stand only until the
   * update has settled ({@link #recall}), so that no later sample reports them as seen. A read is
   * required, so no count the scaler did not see is ever reported.
   */
  void set(ServiceRef service, ServiceSnapshot seen, LastAction action, Instant at) {
    services.put(
        service,
        new Remembered(
            new ServiceSnapshot(action.desired(), seen.running(), seen.pending()),
            at,
            Optional.of(action)));
  }

  /** The service's count may be anything now (a failed update): read it next time. */
  void forget(ServiceRef service) {
    services.remove(service);
  }

  /**
   * The remembered count, unless the service's sweep fell due, as of {@code asOf}, after it was
   * read (and it is not this container's own update, still settling), or it is this container's own
   * update and that has settled by {@code now}. A cycle asks as of its invocation's start in every
   * round, so the services due in a minute are read together in its first round (ten of a cluster
   * per call), not a few at a time in the follow-up rounds that cross a minute.
   *
   * <p>An update is read again once, in the first round after it settled (a follow-up, or the next
   * invocation), in that round's batch: its desired count is known, but its running and pending
   * counts are the ones before it, and the decision line and the {@code RunningTasks} metric report
   * only tasks the scaler saw. That read is also the service's sweep if it fell due meanwhile: a
   * read taken while the update settles may not show it, so the target would read its service again
   * on its own (and again in each round until a read started after it settled).
   */
  Optional<BatchedRead> recall(ServiceRef service, Instant asOf, Instant now) {
    return Optional.ofNullable(services.get(service))
        .filter(
            remembered ->
                sweepOf(service, remembered.readAt()) >= sweepOf(service, asOf)
                    || remembered.shows().isPresent())
        .filter(
            remembered ->
                remembered.shows().filter(action -> now.isAfter(action.settledBy())).isEmpty())
        .map(
            remembered ->
                new BatchedRead(
                    ServiceReading.of(remembered.snapshot()),
                    remembered.readAt(),
                    true,
                    remembered.shows()));
  }

  /**
   * Which of the service's sweeps {@code at} falls in: they start at its own {@link #offset} and
   * last a {@link #SWEEP} each.
   */
  static long sweepOf(ServiceRef service, Instant at) {
    return Math.floorDiv(at.toEpochMilli() - offset(service).toMillis(), SWEEP.toMillis());
  }

  /**
   * When in each {@link #SWEEP} the service's sweep falls due: a whole minute, so that a minute's
   * due services are read together in its first round, ten of a cluster per call. {@link
   * String#hashCode} is specified by the language, so every container and run agrees; it is mixed
   * (Fibonacci hashing) because alone, modulo 5, it is the sum of the name's characters, and names
   * that differ by a swap would always share a minute.
   */
  static Duration offset(ServiceRef service) {
    long hash = Integer.toUnsignedLong((service.cluster() + "/" + service.service()).hashCode());
    long mixed = (hash * 0x9E3779B97F4A7C15L) >>> 32;
    return Duration.ofMinutes(mixed % SWEEP.toMinutes());
  }
}
