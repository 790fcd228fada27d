package dev.queuescaler.scaler.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The valid name a mistyped one most likely meant, for a "did you mean" in a message: the ones with
 * the fewest single-character edits, ignoring case, when that is few enough to be a slip.
 *
 * <p>Two edits at most, whatever the length: a dropped, doubled or swapped letter, or {@code _} for
 * {@code -}. A longer name is not allowed more, since the keys differ from each other by a word
 * ({@code scale-in-...} and {@code scale-out-...}): a bound of a third of the length sent {@code
 * scale-in-cooldown-seconds} to {@code scale-out-cooldown-seconds}, and an operator who follows a
 * wrong hint changes the wrong setting and gets a valid configuration.
 */
public final class ClosestName {

  /** The most edits a slip takes. */
  static final int SLIP_EDITS = 2;

  private ClosestName() {}

  /**
   * The nearest of {@code names} to {@code typed}, joined with " or " when several are as near (in
   * their order), if within {@link #SLIP_EDITS}.
   */
  public static Optional<String> to(String typed, Collection<String> names) {
    String lower = typed.toLowerCase(Locale.ROOT);
    List<String> meant = new ArrayList<>();
    int nearest = SLIP_EDITS;
    for (String name : names) {
      int edits = edits(lower, name.toLowerCase(Locale.ROOT));
      if (edits < nearest) {
        meant.clear();
        nearest = edits;
      }
      if (edits == nearest) {
        meant.add(name);
      }
    }
    return meant.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", meant));
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
