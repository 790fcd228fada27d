package dev.queuescaler.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/** The built-in traffic shapes; each gives arrivals per second for a run from zero. */
public enum Scenario {
  /** 10 minutes idle, then 10,000 messages at once; two hours to drain and settle. */
  BURST("idle 10 min, then a 10,000-message burst; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      counts[600] = 10_000;
      return counts;
    }
  },
  /** Poisson arrivals at 5 messages/s for two hours. */
  STEADY("Poisson 5 msg/s; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      for (int s = 0; s < counts.length; s++) {
        counts[s] = poisson(random, 5);
      }
      return counts;
    }
  },
  /** From 0 to 20 messages/s over two hours. */
  RAMP("Poisson, 0 to 20 msg/s over 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      for (int s = 0; s < counts.length; s++) {
        counts[s] = poisson(random, 20.0 * s / counts.length);
      }
      return counts;
    }
  },
  /** A day: 0 at midnight, 10 messages/s at noon. */
  SINE("a day of Poisson traffic, 0 at midnight to 10 msg/s at noon; 24 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[24 * 3600];
      for (int s = 0; s < counts.length; s++) {
        double level = (1 - Math.cos(2 * Math.PI * s / counts.length)) / 2;
        counts[s] = poisson(random, 10 * level);
      }
      return counts;
    }
  },
  /** 1 message/s with a 2,000-message spike at random every half hour on average. */
  SPIKES("Poisson 1 msg/s plus 2,000-message spikes, ~1 per 30 min; 6 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[6 * 3600];
      for (int s = 0; s < counts.length; s++) {
        counts[s] = poisson(random, 1) + (random.nextDouble() < 1.0 / 1800 ? 2_000 : 0);
      }
      return counts;
    }
  },
  /** One message every 5 minutes, from zero. */
  TRICKLE("one message every 5 min from zero; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      for (int s = 60; s < counts.length; s += 300) {
        counts[s] = 1;
      }
      return counts;
    }
  };

  private final String description;

  Scenario(String description) {
    this.description = description;
  }

  abstract int[] arrivals(Random random);

  public String description() {
    return description;
  }

  public int[] arrivals(long seed) {
    return arrivals(new Random(seed));
  }

  public static Scenario parse(String name) {
    for (Scenario s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario \""
            + name
            + "\"; one of "
            + Arrays.stream(values())
                .map(s -> s.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }

  /** A Poisson draw: Knuth's method for small means, a rounded normal for large ones. */
  static int poisson(Random random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }
}
