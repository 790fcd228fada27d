package dev.queuescaler.generator;

import dev.queuescaler.message.WorkMessage;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/** Random work messages whose JSON body is exactly the size asked for. */
final class MessageBodies {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final String SAMPLE_ID = "00000000-0000-0000-0000-000000000000";

  private final Random random;
  private final int bodyBytes;
  private final int workMillis;
  private final double failRate;

  MessageBodies(long seed, int bodyBytes, int workMillis, double failRate) {
    this.random = new Random(seed);
    this.bodyBytes = bodyBytes;
    this.workMillis = workMillis;
    this.failRate = failRate;
  }

  /** Each body's size in bytes. */
  int bodyBytes() {
    return bodyBytes;
  }

  /** The size of a body with an empty payload: the smallest body there can be. */
  static int smallestBody(int workMillis) {
    // "fail": false is one byte longer than true: size for the longer one.
    return new WorkMessage(SAMPLE_ID, workMillis, false, "").toJson().length();
  }

  /** The next body; callers on several threads share one sequence. */
  synchronized String next() {
    boolean fail = random.nextDouble() < failRate;
    UUID id = new UUID(random.nextLong(), random.nextLong());
    String skeleton = new WorkMessage(id.toString(), workMillis, fail, "").toJson();
    int padding = bodyBytes - skeleton.getBytes(StandardCharsets.UTF_8).length;
    char[] payload = new char[padding];
    for (int i = 0; i < padding; i++) {
      payload[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new WorkMessage(id.toString(), workMillis, fail, new String(payload)).toJson();
  }
}
