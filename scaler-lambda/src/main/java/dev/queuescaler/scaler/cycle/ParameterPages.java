package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.config.TargetName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The prefix read a page at a time, so that a read can stop when its time is up and go on later
 * from where it stopped: Parameter Store's GetParametersByPath, ten parameters a page.
 */
public interface ParameterPages {

  /**
   * One page.
   *
   * @param values the page's parameters in the order read, by name relative to the prefix
   * @param next where the next page starts; empty after the last page
   */
  record Page(Map<String, String> values, Optional<String> next) {
    public Page {
      values = new LinkedHashMap<>(Objects.requireNonNull(values, "values"));
      Objects.requireNonNull(next, "next");
    }
  }

  /** Where a walk stopped is no longer accepted (an expired token): it starts again. */
  final class CursorExpired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CursorExpired(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The page that starts at {@code from}, or the first page when empty.
   *
   * @throws CursorExpired when {@code from} is no longer accepted
   * @throws RuntimeException when the page cannot be read
   */
  Page page(Optional<String> from);

  /**
   * One target's parameters, every page of its own path, named as {@link #page} names them.
   *
   * @throws RuntimeException when they cannot be read
   */
  Map<String, String> readTarget(TargetName target);

  /** Where the parameters live, for messages ({@code /queue-scaler}). */
  String describe();
}
