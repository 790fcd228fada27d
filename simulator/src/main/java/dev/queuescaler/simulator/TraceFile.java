package dev.queuescaler.simulator;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Reads an arrival trace: a CSV with the header {@code minute,count} or {@code second,count}, an
 * index that starts at 0 and has no gaps, and counts >= 0 (see traces/README.md). A UTF-8 byte
 * order mark and trailing blank lines, which editors and spreadsheets add, are accepted. Anything
 * else that is wrong is rejected with an {@link IllegalArgumentException} whose message names the
 * file, the line and what was expected, with invisible characters shown as {@code \\uXXXX}.
 */
public final class TraceFile {

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /**
   * The most messages one replay may hold: the simulator's {@link Workload} keeps each message's
   * work time (50 million of them take 400 MB), and every message is drawn one by one, so a count
   * beyond this is a run that never ends rather than a bigger one.
   */
  public static final long MAX_MESSAGES = 50_000_000;

  /**
   * A trace as read.
   *
   * @param file where it was read from, for messages
   * @param binSeconds 60 for a {@code minute,count} trace, 1 for {@code second,count}
   * @param counts the count of each bin, from bin 0, each >= 0; at least one
   */
  public record Trace(Path file, int binSeconds, long[] counts) {

    public Trace {
      if (binSeconds != 1 && binSeconds != 60) {
        throw new IllegalArgumentException("a bin is a second or a minute, not " + binSeconds);
      }
      if (counts.length == 0) {
        throw new IllegalArgumentException(file + ": no bins");
      }
      counts = counts.clone();
    }

    @Override
    public long[] counts() {
      return counts.clone();
    }

    /** How many bins (minutes or seconds) the trace has. */
    public int bins() {
      return counts.length;
    }

    /**
     * Arrivals per second for bins {@code from} (inclusive) to {@code to} (exclusive, -1 for the
     * end), counts multiplied by {@code scale} (fractions drawn at random, so a scale of 0.5 halves
     * a count of 1 on average). A per-minute count is spread at random over the minute's seconds.
     */
    public int[] arrivals(double scale, int from, int to, long seed) {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("--scale must be > 0 but was " + scale);
      }
      int end = to < 0 ? bins() : Math.min(to, bins());
      if (from < 0 || from >= end) {
        throw new IllegalArgumentException(
            file
                + ": the window ["
                + from
                + ", "
                + (to < 0 ? "end" : Integer.toString(to))
                + ") holds no bin of the "
                + bins()
                + " in the file");
      }
      double messages = 0;
      for (int index = from; index < end; index++) {
        messages += counts[index];
      }
      if (messages * scale > MAX_MESSAGES) {
        String window = (binSeconds == 60 ? "minutes " : "seconds ") + from + ".." + end;
        throw new IllegalArgumentException(
            (scale == 1
                    ? file + " holds " + count(messages) + " messages in " + window
                    : "--scale "
                        + scale
                        + " makes the "
                        + count(messages)
                        + " messages of "
                        + file
                        + " in "
                        + window
                        + " "
                        + count(messages * scale))
                + ", more than the "
                + MAX_MESSAGES
                + " one run can replay");
      }
      Random random = new Random(seed);
      int[] perSecond = new int[(end - from) * binSeconds];
      for (int index = from; index < end; index++) {
        double scaled = counts[index] * scale;
        long whole = (long) scaled + (random.nextDouble() < scaled - Math.floor(scaled) ? 1 : 0);
        int base = (index - from) * binSeconds;
        for (long m = 0; m < whole; m++) {
          perSecond[base + (binSeconds == 1 ? 0 : random.nextInt(binSeconds))]++;
        }
      }
      return perSecond;
    }
  }

  private TraceFile() {}

  /** A count as written in the file while it is exact, else in powers of ten (3.0e+300). */
  private static String count(double messages) {
    return messages < 1e15
        ? Long.toString((long) messages)
        : String.format(java.util.Locale.ROOT, "%.1e", messages);
  }

  /** {@code load(file).arrivals(scale, from, to, seed)}. */
  public static int[] read(Path file, double scale, int from, int to, long seed) {
    return load(file).arrivals(scale, from, to, seed);
  }

  /** Reads and checks the whole file. */
  public static Trace load(Path file) {
    List<String> lines = new ArrayList<>(lines(file));
    if (!lines.isEmpty() && !lines.get(0).isEmpty() && lines.get(0).charAt(0) == BYTE_ORDER_MARK) {
      lines.set(0, lines.get(0).substring(1));
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          "trace file "
              + file
              + " is empty: expected the header \"minute,count\" or \"second,count\"");
    }
    String header = lines.get(0).strip();
    int binSeconds;
    if (header.equals("minute,count")) {
      binSeconds = 60;
    } else if (header.equals("second,count")) {
      binSeconds = 1;
    } else {
      throw new IllegalArgumentException(
          file
              + ":1: expected the header \"minute,count\" or \"second,count\" but was \""
              + visible(header)
              + "\"");
    }
    if (lines.size() == 1) {
      throw new IllegalArgumentException(
          "trace file " + file + " has its header \"" + header + "\" but no data rows");
    }
    long[] counts = new long[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String[] fields = line.split(",", -1);
      if (fields.length != 2) {
        throw new IllegalArgumentException(
            file
                + ":"
                + (i + 1)
                + ": expected two comma-separated fields but was \""
                + visible(line)
                + "\"");
      }
      int index;
      long count;
      try {
        index = Integer.parseInt(fields[0].strip());
        count = Long.parseLong(fields[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected two integers but was \"" + visible(line) + "\"");
      }
      if (index != i - 1) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected index " + (i - 1) + " but was " + index);
      }
      if (count < 0) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": count must be >= 0 but was " + count);
      }
      counts[i - 1] = count;
    }
    return new Trace(file, binSeconds, counts);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("trace file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("trace file " + file + " cannot be read: access denied");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("trace file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "trace file "
              + file
              + (Files.isDirectory(file)
                  ? " is a directory"
                  : " cannot be read: " + e.getMessage()));
    }
  }

  /**
   * {@code text} with what a terminal does not show (control and format characters such as a byte
   * order mark or a zero-width space, spaces other than the plain one) written as {@code \\uXXXX},
   * and a tab as {@code \\t}: otherwise a header that is wrong looks exactly like the right one.
   */
  static String visible(String text) {
    StringBuilder shown = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\t') {
                shown.append("\\t");
              } else if (c != ' ' && invisible(c)) {
                shown.append(String.format("\\u%04X", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.toString();
  }

  private static boolean invisible(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.UNASSIGNED,
          Character.PRIVATE_USE,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }
}
