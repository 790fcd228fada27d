package dev.queuescaler.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Reads an arrival trace: a CSV with the header {@code minute,count} or {@code second,count}, an
 * index that starts at 0 and has no gaps, and counts >= 0 (see traces/README.md). A malformed file
 * is rejected with its line number.
 */
public final class TraceFile {

  private TraceFile() {}

  /**
   * Arrivals per second for minutes (or seconds) {@code from} (inclusive) to {@code to} (exclusive)
   * of the trace, counts multiplied by {@code scale} (fractions drawn at random, so a scale of 0.5
   * halves a count of 1 on average). A per-minute count is spread at random over the minute's
   * seconds.
   */
  public static int[] read(Path file, double scale, int from, int to, long seed)
      throws IOException {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("--scale must be > 0 but was " + scale);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty file, expected a header line");
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
              + header
              + "\"");
    }
    int bins = lines.size() - 1;
    int end = to < 0 ? bins : Math.min(to, bins);
    if (from < 0 || from >= end) {
      throw new IllegalArgumentException(
          file
              + ": the window ["
              + from
              + ", "
              + to
              + ") holds no bin of the "
              + bins
              + " in the file");
    }
    Random random = new Random(seed);
    int[] perSecond = new int[(end - from) * binSeconds];
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String[] fields = line.split(",", -1);
      if (fields.length != 2) {
        throw new IllegalArgumentException(
            file
                + ":"
                + (i + 1)
                + ": expected two comma-separated fields but was \""
                + line
                + "\"");
      }
      int index;
      long count;
      try {
        index = Integer.parseInt(fields[0].strip());
        count = Long.parseLong(fields[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected two integers but was \"" + line + "\"");
      }
      if (index != i - 1) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected index " + (i - 1) + " but was " + index);
      }
      if (count < 0) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": count must be >= 0 but was " + count);
      }
      if (index < from || index >= end) {
        continue;
      }
      double scaled = count * scale;
      long whole = (long) scaled + (random.nextDouble() < scaled - Math.floor(scaled) ? 1 : 0);
      int base = (index - from) * binSeconds;
      for (long m = 0; m < whole; m++) {
        perSecond[base + (binSeconds == 1 ? 0 : random.nextInt(binSeconds))]++;
      }
    }
    return perSecond;
  }
}
