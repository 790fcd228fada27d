package dev.queuescaler.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Shapes of traffic that no default was chosen on, each a family: every seed draws its own
 * parameters (sizes, rates, periods, gaps) as well as its arrivals, so any number of draws can be
 * made, and the draws that choose a setting can be kept apart from the ones that report on it
 * (docs/decisions.md records which seeds are which).
 */
public enum TrafficFamily {
  /** A burst every 7 minutes over a light background. */
  BURSTS_EVERY_7_MIN("bursts-every-7-min", "a burst of 200-2,000 messages every 7 min; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      double background = 0.5 * random.nextDouble();
      for (int s = 0; s < counts.length; s++) {
        counts[s] = Scenario.poisson(random, background);
      }
      int offset = random.nextInt(420);
      for (int start = offset; start < counts.length; start += 420) {
        int size = 200 + random.nextInt(1_801);
        int spread = 1 + random.nextInt(10);
        for (int i = 0; i < spread && start + i < counts.length; i++) {
          counts[start + i] += size / spread + (i < size % spread ? 1 : 0);
        }
      }
      return counts;
    }
  },
  /** One to three messages at a time, with random gaps of half a minute to ten minutes. */
  SPARSE("sparse", "1-3 messages at a time, exponential gaps averaging 30 s-10 min; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      double meanGap = 30 + random.nextDouble() * 570;
      for (double at = -Math.log(1 - random.nextDouble()) * meanGap;
          at < counts.length;
          at += -Math.log(1 - random.nextDouble()) * meanGap) {
        counts[(int) at] += 1 + random.nextInt(3);
      }
      return counts;
    }
  },
  /** The rate climbs from zero to a peak, drops to zero, and climbs again. */
  SAWTOOTH("sawtooth", "rate climbs from 0 to 5-20 msg/s over 10-30 min, then drops; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      double peak = 5 + 15 * random.nextDouble();
      int period = 600 + random.nextInt(1_201);
      int phase = random.nextInt(period);
      for (int s = 0; s < counts.length; s++) {
        counts[s] = Scenario.poisson(random, peak * ((s + phase) % period) / period);
      }
      return counts;
    }
  },
  /** Quiet traffic, then a few sudden crowds that fade out over minutes. */
  FLASH_CROWDS(
      "flash-crowds", "0.5-2 msg/s with 2-4 crowds of 20-60 msg/s fading over minutes; 3 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[3 * 3600];
      double[] rate = new double[counts.length];
      Arrays.fill(rate, 0.5 + 1.5 * random.nextDouble());
      int crowds = 2 + random.nextInt(3);
      for (int c = 0; c < crowds; c++) {
        int start = random.nextInt(counts.length - 1_800);
        double height = 20 + 40 * random.nextDouble();
        double fade = 120 + 480 * random.nextDouble();
        for (int s = start; s < counts.length; s++) {
          rate[s] += height * Math.exp(-(s - start) / fade);
        }
      }
      for (int s = 0; s < counts.length; s++) {
        counts[s] = Scenario.poisson(random, rate[s]);
      }
      return counts;
    }
  },
  /** Idle, then a slow ramp to a plateau that holds. */
  RAMP_TO_PLATEAU("ramp-to-plateau", "idle, a 30-90 min ramp to a 5-20 msg/s plateau; 3 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[3 * 3600];
      int start = 300 + random.nextInt(1_500);
      int ramp = 1_800 + random.nextInt(3_601);
      double plateau = 5 + 15 * random.nextDouble();
      for (int s = start; s < counts.length; s++) {
        counts[s] = Scenario.poisson(random, plateau * Math.min(1.0, (s - start) / (double) ramp));
      }
      return counts;
    }
  },
  /** On at a steady rate, then off, and on again. */
  SQUARE_WAVE("square-wave", "on at 5-15 msg/s for 3-15 min, off for 3-15 min; 2 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[2 * 3600];
      double rate = 5 + 10 * random.nextDouble();
      int on = 180 + random.nextInt(721);
      int off = 180 + random.nextInt(721);
      int phase = random.nextInt(on + off);
      for (int s = 0; s < counts.length; s++) {
        counts[s] = (s + phase) % (on + off) < on ? Scenario.poisson(random, rate) : 0;
      }
      return counts;
    }
  },
  /** A day whose rate follows the sun, with minute-to-minute noise and the odd spike. */
  NOISY_DIURNAL(
      "noisy-diurnal",
      "a day peaking at 5-15 msg/s, the rate noisy minute to minute, a few spikes; 24 h") {
    @Override
    int[] arrivals(Random random) {
      int[] counts = new int[24 * 3600];
      double peak = 5 + 10 * random.nextDouble();
      double noise = 1;
      for (int s = 0; s < counts.length; s++) {
        if (s % 60 == 0) {
          noise = Math.exp(0.4 * random.nextGaussian());
        }
        double level = (1 - Math.cos(2 * Math.PI * s / counts.length)) / 2;
        counts[s] =
            Scenario.poisson(random, peak * level * noise)
                + (random.nextDouble() < 1.0 / 5_400 ? 100 + random.nextInt(900) : 0);
      }
      return counts;
    }
  };

  private final String key;
  private final String description;

  TrafficFamily(String key, String description) {
    this.key = key;
    this.description = description;
  }

  abstract int[] arrivals(Random random);

  /** One draw: its parameters and its arrivals from {@code seed}. */
  public int[] arrivals(long seed) {
    return arrivals(new Random(seed * 7_919 + ordinal()));
  }

  /** The name on the command line and in the tables. */
  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  public static TrafficFamily parse(String name) {
    for (TrafficFamily family : values()) {
      if (family.key.equalsIgnoreCase(name)) {
        return family;
      }
    }
    throw new IllegalArgumentException(
        "unknown traffic family \""
            + name
            + "\"; one of "
            + Arrays.stream(values()).map(TrafficFamily::key).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return key.toLowerCase(Locale.ROOT);
  }
}
