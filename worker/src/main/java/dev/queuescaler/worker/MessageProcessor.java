package dev.queuescaler.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Runs the handler for one message, with its metrics and its trace. Whatever the handler throws,
 * {@link Error}s included (a {@code StackOverflowError} in user code is a failed message, not a
 * dead worker), is a failed outcome with its cause logged.
 */
final class MessageProcessor {

  /** What processing one message came to. */
  record Outcome(Message message, WorkerTracing.MessageTrace trace, boolean succeeded) {}

  private final MessageHandler handler;
  private final WorkerMetrics metrics;
  private final WorkerTracing tracing;
  private final JsonLog log;
  private final String queueName;

  MessageProcessor(
      MessageHandler handler,
      WorkerMetrics metrics,
      WorkerTracing tracing,
      JsonLog log,
      String queueName) {
    this.handler = handler;
    this.metrics = metrics;
    this.tracing = tracing;
    this.log = log;
    this.queueName = queueName;
  }

  Outcome process(Message message, double receiveStart, double receiveEnd) {
    Map<MessageSystemAttributeName, String> attributes = message.attributes();
    Optional<Instant> sentAt =
        Optional.ofNullable(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP))
            .map(Long::parseLong)
            .map(Instant::ofEpochMilli);
    ReceivedMessage received =
        new ReceivedMessage(
            message.messageId(),
            message.body(),
            sentAt,
            Optional.ofNullable(attributes.get(MessageSystemAttributeName.AWS_TRACE_HEADER)));
    sentAt.ifPresent(sent -> metrics.received(Duration.between(sent, Instant.now())));
    int receiveCount =
        Optional.ofNullable(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .filter(count -> count.matches("\\d{1,9}"))
            .map(Integer::parseInt)
            .orElse(0);
    WorkerTracing.MessageTrace trace =
        tracing.start(received, queueName, receiveCount, receiveStart);
    trace.sqsCall("ReceiveMessage", receiveStart, receiveEnd, false);

    metrics.started();
    long startNanos = System.nanoTime();
    double start = Clocks.seconds();
    Optional<Throwable> failure = Optional.empty();
    try {
      try {
        handler.handle(received);
      } catch (Throwable e) { // NOPMD: any failure of user code fails the message, never the loop
        failure = Optional.of(e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messageId", message.messageId());
        fields.put(
            "receiveCount",
            attributes.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"));
        fields.put("reason", String.valueOf(e.getMessage()));
        fields.put("cause", e.getClass().getName());
        log.warn("message-failed", fields);
      }
      trace.processed(start, Clocks.seconds(), failure);
    } finally {
      metrics.finished(Duration.ofNanos(System.nanoTime() - startNanos), failure.isEmpty());
    }
    return new Outcome(message, trace, failure.isEmpty());
  }
}
