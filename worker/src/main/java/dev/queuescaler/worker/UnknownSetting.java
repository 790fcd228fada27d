package dev.queuescaler.worker;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An environment variable named like one of the worker's settings that the worker does not read,
 * and the setting it most likely meant. Its value is no part of it: it may be a secret.
 *
 * @param name the variable's name as set
 * @param closest the setting a few edits away, compared without case ({@code worker_concurrency} is
 *     {@code WORKER_CONCURRENCY}); empty when none is near enough to be a typo
 */
public record UnknownSetting(String name, Optional<String> closest) {

  /**
   * A name this few edits from a known one, in any case and not counting its separators, counts as
   * a typo of it, a typo in its prefix included ({@code WORKR_CONCURRENCY}, {@code
   * WORKER-CONCURRENCY}, {@code worker.max.processing.seconds}): two catch a dropped, doubled or
   * swapped letter, separators are left out so that a name in another style is one mistake however
   * many words it has, and no variable that ECS, the SDKs or the JVM set is that close to a
   * setting's name.
   */
  static final int TYPO_EDITS = 2;

  /**
   * The variables among {@code names} that start with {@code prefix} in any case, or are within
   * {@link #TYPO_EDITS} of one of {@code known} once both lose their separators, and are not one of
   * {@code known}, sorted by name.
   */
  static List<UnknownSetting> in(Collection<String> names, String prefix, List<String> known) {
    List<String> knownWords = known.stream().map(UnknownSetting::words).toList();
    return names.stream()
        .filter(
            name -> {
              String upper = name.toUpperCase(Locale.ROOT);
              String words = words(upper);
              return upper.startsWith(prefix)
                  || knownWords.stream().anyMatch(k -> edits(words, k) <= TYPO_EDITS);
            })
        .filter(name -> !known.contains(name))
        .sorted()
        .map(name -> new UnknownSetting(name, closest(name.toUpperCase(Locale.ROOT), known)))
        .toList();
  }

  /** The nearest of {@code known}, if within a third of the typed name's length (at least 2). */
  private static Optional<String> closest(String typed, List<String> known) {
    int allowed = Math.max(2, typed.length() / 3);
    return known.stream()
        .filter(name -> edits(typed, name) <= allowed)
        .min(Comparator.comparingInt(name -> edits(typed, name)));
  }

  /** {@code name}'s letters and digits: {@code WORKER_CONCURRENCY} is {@code WORKERCONCURRENCY}. */
  private static String words(String name) {
    StringBuilder kept = new StringBuilder(name.length());
    name.codePoints().filter(Character::isLetterOrDigit).forEach(kept::appendCodePoint);
    return kept.toString();
  }

  /** The Levenshtein distance: insertions, deletions and substitutions. */
  private static int edits(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        d[i][j] =
            i == 0 || j == 0
                ? i + j
                : Math.min(
                    d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1),
                    Math.min(d[i - 1][j], d[i][j - 1]) + 1);
      }
    }
    return d[a.length()][b.length()];
  }
}
