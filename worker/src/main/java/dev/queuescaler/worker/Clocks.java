package dev.queuescaler.worker;

import java.time.Instant;

/** Wall-clock seconds with a fraction, the unit X-Ray's segment times use. */
final class Clocks {

  private Clocks() {}

  static double seconds() {
    Instant now = Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }
}
