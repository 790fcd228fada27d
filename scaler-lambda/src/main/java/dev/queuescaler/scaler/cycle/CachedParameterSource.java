package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The prefix's parameters, read whole once and then kept: a target whose change is recorded has its
 * own path read again, a change that names no target (or an unreadable record) reads the whole
 * prefix again, and so does a whole read older than {@code maxAge} (a lost event). At a thousand
 * targets the prefix is hundreds of pages of Parameter Store's shared quota; a change event costs
 * one small read per cycle and a page for the changed target instead. A change is followed on the
 * next cycle after its event is recorded, and within {@code maxAge} if an event is lost. A changed
 * target whose path cannot be read affects only itself: it keeps its values, is reported in {@link
 * Reading#unread}, and is read again next cycle.
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
  private final Map<TargetName, Instant> targetReadAt = new HashMap<>();

  public CachedParameterSource(
      ParameterSource source, ParameterChanges changes, Clock clock, Duration maxAge) {
    this.source = Objects.requireNonNull(source, "source");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  @Override
  public Map<String, String> readAll() {
    return read().values();
  }

  /**
   * The cached parameters with every recorded change read. A target whose path cannot be read keeps
   * its cached values and is reported as unread: its change is read again on the next cycle, and
   * the other targets' changes are kept, since each target's read is committed on its own.
   */
  @Override
  public Reading read() {
    // Times are taken before the reads: a change recorded while one runs is read next time.
    Instant now = clock.instant();
    if (cached.isEmpty() || !now.isBefore(readAt.plus(maxAge))) {
      return new Reading(readWhole(now), Map.of());
    }
    ParameterChanges.Recorded recorded;
    try {
      recorded = changes.recorded();
    } catch (RuntimeException unreadable) {
      return new Reading(readWhole(now), Map.of());
    }
    if (recorded.wholePrefix().filter(at -> !at.isBefore(readAt)).isPresent()) {
      return new Reading(readWhole(now), Map.of());
    }
    Map<String, String> merged = new HashMap<>(cached.get());
    Map<TargetName, String> unread = new HashMap<>();
    boolean reread = false;
    for (Map.Entry<TargetName, Instant> change : recorded.byTarget().entrySet()) {
      TargetName target = change.getKey();
      if (change.getValue().isBefore(targetReadAt.getOrDefault(target, readAt))) {
        continue; // already read since
      }
      Map<String, String> fresh;
      try {
        fresh = source.readTarget(target);
      } catch (RuntimeException e) {
        // Not marked as read: it keeps its cached values and is read again next cycle.
        unread.put(target, TargetCycle.describe(e));
        continue;
      }
      String path = target.value() + "/";
      merged.keySet().removeIf(name -> name.startsWith(path));
      merged.putAll(fresh);
      targetReadAt.put(target, now);
      reread = true;
    }
    if (reread) {
      cached = Optional.of(Map.copyOf(merged));
    }
    return new Reading(cached.get(), unread);
  }

  private Map<String, String> readWhole(Instant now) {
    Map<String, String> fresh = source.readAll();
    cached = Optional.of(Map.copyOf(fresh));
    readAt = now;
    targetReadAt.clear();
    return cached.get();
  }

  @Override
  public String describe() {
    return source.describe();
  }
}
