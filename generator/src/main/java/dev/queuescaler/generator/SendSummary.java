package dev.queuescaler.generator;

import java.util.Objects;
import java.util.Optional;

/**
 * What an invocation sent: {@code {"sent": N, "failed": F, "millis": T}}.
 *
 * @param sent messages SQS accepted
 * @param failed messages SQS still rejected after the retries
 * @param millis wall time of the sending
 * @param lastFailure why a message last failed (SQS's code and message for an entry, the SDK's
 *     reason for a call), when one did; not in the JSON, whose three fields are the contract: the
 *     CLI prints it on stderr, the Lambda in its log
 */
public record SendSummary(long sent, long failed, long millis, Optional<String> lastFailure) {

  public SendSummary {
    Objects.requireNonNull(lastFailure, "lastFailure");
  }

  public String toJson() {
    return "{\"sent\":" + sent + ",\"failed\":" + failed + ",\"millis\":" + millis + "}";
  }

  /** One line for a person: how many were not sent and why, when any were not. */
  public Optional<String> failureLine() {
    if (failed == 0) {
      return Optional.empty();
    }
    return Optional.of(
        failed
            + " of "
            + (sent + failed)
            + " messages not sent; the last failure: "
            + lastFailure.orElse("not known"));
  }
}
