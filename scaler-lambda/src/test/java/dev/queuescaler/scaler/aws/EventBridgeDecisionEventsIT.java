package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.cycle.DecisionEvents;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import dev.queuescaler.testsupport.FakeAwsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * PutEvents through the real SDK client against an HTTP stand-in that rejects chosen entries inside
 * its HTTP 200, as EventBridge does ({@code FailedEntryCount} above 0, an error code per entry).
 */
class EventBridgeDecisionEventsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeAwsServer bus = new FakeAwsServer();

  /** Each target's entries still to reject, one error code per PutEvents call that carries it. */
  private final Map<String, List<String>> rejections = new ConcurrentHashMap<>();

  /** The targets of the entries accepted, in order. */
  private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());

  /** The entries accepted as target@decision time, in order. */
  private final List<String> acceptedAt = Collections.synchronizedList(new ArrayList<>());

  private final EventBridgeClient client =
      EventBridgeClient.builder()
          .endpointOverride(bus.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClient(UrlConnectionHttpClient.create())
          .overrideConfiguration(AwsClients.overrides(List.of()))
          .build();

  EventBridgeDecisionEventsIT() {
    bus.on("PutEvents", this::putEvents);
  }

  @AfterEach
  void close() {
    client.close();
    bus.close();
  }

  private FakeAwsServer.Reply putEvents(JsonNode request) {
    ObjectNode response = JSON.createObjectNode();
    ArrayNode results = response.putArray("Entries");
    int failed = 0;
    for (JsonNode entry : request.path("Entries")) {
      String target = detail(entry).path("target").asText();
      List<String> codes = rejections.getOrDefault(target, List.of());
      if (codes.isEmpty()) {
        accepted.add(target);
        acceptedAt.add(target + "@" + detail(entry).path("time").asText());
        results.addObject().put("EventId", "event-of-" + target);
      } else {
        rejections.put(target, codes.subList(1, codes.size()));
        results.addObject().put("ErrorCode", codes.get(0)).put("ErrorMessage", "rejected");
        failed++;
      }
    }
    response.put("FailedEntryCount", failed);
    return FakeAwsServer.Reply.ok(response.toString());
  }

  private static JsonNode detail(JsonNode entry) {
    try {
      return JSON.readTree(entry.path("Detail").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<DecisionRecord> decisions(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new DecisionRecord(
                    "e" + i,
                    Optional.empty(),
                    Optional.of(100L),
                    Optional.empty(),
                    Optional.of(3),
                    Optional.of(3),
                    Action.SCALE_OUT,
                    Reason.BACKLOG,
                    false,
                    List.of(),
                    Instant.parse("2026-12-07T12:00:00Z")))
        .toList();
  }

  private static DecisionRecord decision(String target, String at) {
    return new DecisionRecord(
        target,
        Optional.empty(),
        Optional.of(100L),
        Optional.empty(),
        Optional.of(3),
        Optional.of(3),
        Action.SCALE_OUT,
        Reason.BACKLOG,
        false,
        List.of(),
        Instant.parse(at));
  }

  private EventBridgeDecisionEvents events() {
    return new EventBridgeDecisionEvents(client, "default", "/queue-scaler");
  }

  private int calls() {
    return bus.calls("PutEvents").size();
  }

  @Test
  void entriesThrottledOrFailedInsideA200AreResubmittedUntilAccepted() {
    rejections.put("e1", List.of("ThrottlingException"));
    rejections.put("e2", List.of("InternalFailure", "ThrottlingException"));
    rejections.put("e11", List.of("InternalFailure"));

    List<Optional<RuntimeException>> results = events().publishAll(decisions(12));

    assertThat(results).hasSize(12).allMatch(Optional::isEmpty);
    assertThat(accepted)
        .as("each event once: only the rejected entries go again")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 12).mapToObj(i -> "e" + i).toList());
    assertThat(bus.calls("PutEvents").stream().map(c -> c.body().path("Entries").size()))
        .as("ten, e1 and e2 again, e2 a third time; then two, e11 again")
        .containsExactly(10, 2, 1, 2, 1);
  }

  @Test
  void anEntryStillRejectedAfterItsResubmitsIsReportedAsItsOwnFailure() {
    rejections.put(
        "e0", List.of("ThrottlingException", "ThrottlingException", "ThrottlingException"));

    List<Optional<RuntimeException>> results = events().publishAll(decisions(3));

    assertThat(results.get(0))
        .hasValueSatisfying(
            e -> assertThat(e).hasMessageContaining("entry rejected: ThrottlingException"));
    assertThat(results.subList(1, 3)).allMatch(Optional::isEmpty);
    assertThat(calls()).as("the call and its two resubmits").isEqualTo(3);
  }

  @Test
  void anEntryRejectedForACauseThatLastsIsNotResubmitted() {
    rejections.put("e0", List.of("MalformedDetail"));

    List<Optional<RuntimeException>> results = events().publishAll(decisions(3));

    assertThat(results.get(0))
        .hasValueSatisfying(
            e -> assertThat(e).hasMessageContaining("entry rejected: MalformedDetail"));
    assertThat(calls()).isEqualTo(1);
  }

  @Test
  void noCallRunsPastTheTimeTheCycleGivesIt() {
    bus.latency(Duration.ofSeconds(6)); // answering after the time given, inside the SDK's 15 s
    long started = System.nanoTime();
    List<Optional<RuntimeException>> results =
        events().publishAll(decisions(25), Duration.ofMillis(2_500));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took)
        .as("timed out at the time given, not at the bus's answer")
        .isLessThan(Duration.ofMillis(4_500));
    assertThat(results)
        .as("the first ten tried, and failed; the other fifteen left for the caller")
        .hasSize(10)
        .allMatch(Optional::isPresent);
    assertThat(calls()).isEqualTo(1);
  }

  @Test
  void aCallCutOffByItsTimeoutMayHaveBeenTakenAndSaysSo() {
    bus.latency(Duration.ofMillis(2_500)); // the bus has the request; its answer comes too late

    List<Optional<RuntimeException>> results =
        events().publishAll(decisions(1), Duration.ofMillis(2_000));

    assertThat(results)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .as("not 'not sent': the bus may have taken it")
                    .containsInstanceOf(DecisionEvents.MaybeSent.class));
  }

  @Test
  void twoDecisionsOfOneTargetAreTakenInTheirOrderThoughTheFirstIsThrottled() {
    rejections.put("orders", List.of("ThrottlingException"));

    List<Optional<RuntimeException>> results =
        events()
            .publishAll(
                List.of(
                    decision("orders", "2026-12-07T12:00:00Z"),
                    decision("billing", "2026-12-07T12:00:10Z"),
                    decision("orders", "2026-12-07T12:00:15Z")),
                Duration.ofSeconds(14));

    assertThat(results).hasSize(3).allMatch(Optional::isEmpty);
    assertThat(acceptedAt.stream().filter(e -> e.startsWith("orders@")))
        .as("a consumer keeping the latest by arrival keeps the latest decision")
        .containsExactly("orders@2026-12-07T12:00:00Z", "orders@2026-12-07T12:00:15Z");
  }

  @Test
  void noResubmitStartsWithLessThanOneCallsTimeLeftAfterItsBackoff() {
    rejections.put("e0", List.of("ThrottlingException", "ThrottlingException"));

    // Enough for the call, not for the 100 ms backoff and another call after it.
    List<Optional<RuntimeException>> results =
        events()
            .publishAll(
                decisions(1), EventBridgeDecisionEvents.SHORTEST_CALL.plus(Duration.ofMillis(50)));

    assertThat(results.get(0))
        .hasValueSatisfying(
            e -> assertThat(e).hasMessageContaining("entry rejected: ThrottlingException"));
    assertThat(calls()).as("the call, no resubmit").isEqualTo(1);
  }
}
