package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Parameter Store's pages over a map, in name order as GetParametersByPath returns them: each page
 * takes {@code perPage} of the clock (the paced rate), and reads can be made to fail.
 */
final class InMemoryParameterPages implements ParameterPages {

  final TreeMap<String, String> stored = new TreeMap<>();
  private final MutableClock clock;
  private final int pageSize;
  private final Duration perPage;
  int pagesRead;
  final List<TargetName> targetReads = new ArrayList<>();
  Optional<TargetName> unreadableTarget = Optional.empty();
  boolean pagesFail;
  boolean cursorExpired;

  InMemoryParameterPages(MutableClock clock, int pageSize, Duration perPage) {
    this.clock = clock;
    this.pageSize = pageSize;
    this.perPage = perPage;
  }

  @Override
  public Page page(Optional<String> from) {
    if (pagesFail) {
      throw new IllegalStateException("GetParametersByPath failed: ThrottlingException");
    }
    if (from.isPresent() && cursorExpired) {
      cursorExpired = false;
      throw new CursorExpired("InvalidNextToken", null);
    }
    clock.advance(perPage);
    pagesRead++;
    // The token is the last name read, as a position that survives changes between pages.
    Map<String, String> after = from.isPresent() ? stored.tailMap(from.get(), false) : stored;
    Map<String, String> page = new LinkedHashMap<>();
    String last = null;
    for (Map.Entry<String, String> parameter : after.entrySet()) {
      if (page.size() == pageSize) {
        return new Page(page, Optional.of(last));
      }
      page.put(parameter.getKey(), parameter.getValue());
      last = parameter.getKey();
    }
    return new Page(page, Optional.empty());
  }

  @Override
  public Map<String, String> readTarget(TargetName target) {
    if (unreadableTarget.filter(target::equals).isPresent()) {
      throw new IllegalStateException(
          "GetParametersByPath on " + target + " failed: ThrottlingException");
    }
    targetReads.add(target);
    Map<String, String> mine = new LinkedHashMap<>();
    stored.forEach(
        (name, value) -> {
          if (name.startsWith(target.value() + "/")) {
            mine.put(name, value);
          }
        });
    clock.advance(perPage.multipliedBy(Math.max(1, (mine.size() + pageSize - 1) / pageSize)));
    return mine;
  }

  @Override
  public String describe() {
    return "/queue-scaler";
  }
}
