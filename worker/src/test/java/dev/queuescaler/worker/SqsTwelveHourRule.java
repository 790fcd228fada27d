package dev.queuescaler.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * SQS's rule that ElasticMQ does not keep: one receipt stays invisible for at most 12 hours in all,
 * and "if you attempt to set the VisibilityTimeout to an amount more than the maximum time left,
 * Amazon SQS returns an error. It will not automatically recalculate and increase the timeout to
 * the maximum time remaining." Applied to ElasticMQ's answers through FaultInjectingProxy.rewrite.
 */
final class SqsTwelveHourRule {

  static final Duration TWELVE_HOURS = Duration.ofHours(12);

  private SqsTwelveHourRule() {}

  /**
   * SQS's answer to a ChangeMessageVisibilityBatch: each entry that asks for more than its
   * receipt's 12 hours leave now (its receipt began when {@code receivedAt} says; one it does not
   * name is not near the limit) fails as SQS fails it, the others succeed.
   */
  static JsonNode answer(
      JsonNode request, JsonNode response, Function<String, Optional<Instant>> receivedAt) {
    return answer(request, response, receivedAt, InstantSource.system());
  }

  /** The same, SQS's time read from {@code clock} (one the test moves on, as the worker's is). */
  static JsonNode answer(
      JsonNode request,
      JsonNode response,
      Function<String, Optional<Instant>> receivedAt,
      InstantSource clock) {
    Instant now = clock.instant();
    ObjectNode answer = (ObjectNode) response.deepCopy();
    ArrayNode successful = answer.putArray("Successful");
    ArrayNode failed = answer.putArray("Failed");
    for (JsonNode entry : request.path("Entries")) {
      long asked = entry.path("VisibilityTimeout").asLong();
      boolean beyond =
          receivedAt
              .apply(entry.path("ReceiptHandle").asText())
              .map(since -> TWELVE_HOURS.minus(Duration.between(since, now)).toSeconds())
              .map(left -> asked > left)
              .orElse(false);
      if (beyond) {
        failed
            .addObject()
            .put("Id", entry.path("Id").asText())
            .put("Code", "InvalidParameterValue")
            .put(
                "Message",
                "Value "
                    + asked
                    + " for parameter VisibilityTimeout is invalid. Reason: Total"
                    + " VisibilityTimeout for the message is beyond the limit [43200 seconds]")
            .put("SenderFault", true);
      } else {
        successful.addObject().put("Id", entry.path("Id").asText());
      }
    }
    return answer;
  }
}
