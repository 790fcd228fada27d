package dev.queuescaler.generator;

/**
 * What an invocation sent: {@code {"sent": N, "failed": F, "millis": T}}.
 *
 * @param sent messages SQS accepted
 * @param failed messages SQS still rejected after the retries
 * @param millis wall time of the sending
 */
public record SendSummary(long sent, long failed, long millis) {

  public String toJson() {
    return "{\"sent\":" + sent + ",\"failed\":" + failed + ",\"millis\":" + millis + "}";
  }
}
