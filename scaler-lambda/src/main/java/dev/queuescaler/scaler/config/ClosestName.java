package dev.queuescaler.scaler.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The valid name a mistyped one most likely meant, for a "did you mean" in a message: the one with
 * the fewest single-character edits, when that is few enough to be a typo rather than another word.
 */
public final class ClosestName {

  private ClosestName() {}

  /**
   * The closest of {@code names} to {@code typed}, if within a third of its length (at least 2).
   */
  public static Optional<String> to(String typed, Collection<String> names) {
    int allowed = Math.max(2, typed.length() / 3);
    return names.stream()
        .filter(name -> edits(typed, name) <= allowed)
        .min(Comparator.comparingInt((String name) -> edits(typed, name)));
  }

  /** {@code "; did you mean NAME?"}, or nothing. */
  public static String suggestion(String typed, Collection<String> names) {
    return to(typed, names).map(name -> "; did you mean " + name + "?").orElse("");
  }

  /** The Levenshtein distance: insertions, deletions and substitutions. */
  static int edits(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
