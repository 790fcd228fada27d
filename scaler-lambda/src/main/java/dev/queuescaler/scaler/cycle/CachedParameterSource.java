package dev.queuescaler.scaler.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole prefix, read again only when a parameter changed since the last read or the last read
 * is older than {@code maxAge}. At a thousand targets the prefix is hundreds of pages of Parameter
 * Store's shared quota; a change event costs one small read per cycle instead. A change is followed
 * on the next cycle after its event is recorded, and within {@code maxAge} if an event is lost.
 *
 * <p>Held by the composition root (one per container). Not thread-safe: one cycle at a time reads.
 */
public final class CachedParameterSource implements ParameterSource {

  private final ParameterSource source;
  private final ParameterChanges changes;
  private final Clock clock;
  private final Duration maxAge;
  private Optional<Map<String, String>> cached = Optional.empty();
  private Instant readAt = Instant.MIN;

  public CachedParameterSource(
      ParameterSource source, ParameterChanges changes, Clock clock, Duration maxAge) {
    this.source = Objects.requireNonNull(source, "source");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  @Override
  public Map<String, String> readAll() {
    Instant now = clock.instant();
    if (cached.isPresent() && now.isBefore(readAt.plus(maxAge)) && !changedSinceRead()) {
      return cached.get();
    }
    // The time is taken before the read: a change recorded while it runs is read next time.
    Map<String, String> fresh = source.readAll();
    cached = Optional.of(Map.copyOf(fresh));
    readAt = now;
    return cached.get();
  }

  /** A change at or after the last read's start; an unreadable record counts as a change. */
  private boolean changedSinceRead() {
    try {
      return changes.lastChange().filter(at -> !at.isBefore(readAt)).isPresent();
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  @Override
  public String describe() {
    return source.describe();
  }
}
