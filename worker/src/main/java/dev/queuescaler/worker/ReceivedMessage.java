package dev.queuescaler.worker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as the handler sees it.
 *
 * @param messageId SQS's id
 * @param body the body
 * @param sentAt when SQS accepted it (SentTimestamp), if known
 * @param traceHeader the producer's X-Ray trace header (AWSTraceHeader), if any
 */
public record ReceivedMessage(
    String messageId, String body, Optional<Instant> sentAt, Optional<String> traceHeader) {

  public ReceivedMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(traceHeader, "traceHeader");
  }
}
