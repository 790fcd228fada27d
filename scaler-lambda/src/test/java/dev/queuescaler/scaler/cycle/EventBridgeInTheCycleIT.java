package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.policy.QueueSnapshot;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import dev.queuescaler.testsupport.FakeAwsServer;
import dev.queuescaler.testsupport.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The real {@link EventBridgeDecisionEvents} and SDK client, against an HTTP stand-in for
 * EventBridge, inside a cycle on a virtual clock: one target whose first queue read takes 14.5 s,
 * so its first decision's event finds under one call's time before the 15 s round and still waits
 * when that round decides the target again.
 */
class EventBridgeInTheCycleIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Instant start = Instant.parse("2026-11-28T12:00:00Z");
  private final MutableClock clock = new MutableClock(start);
  private final Map<String, Integer> desired = new ConcurrentHashMap<>();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  /** The entries the bus took, as target@decision time, in the order it took them. */
  private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());

  private final AtomicBoolean firstReadDone = new AtomicBoolean();
  private final FakeAwsServer bus = new FakeAwsServer();
  private final EventBridgeClient client =
      EventBridgeClient.builder()
          .endpointOverride(bus.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClient(UrlConnectionHttpClient.create())
          .overrideConfiguration(AwsClients.overrides(List.of()))
          .build();

  @AfterEach
  void close() {
    Thread.interrupted();
    client.close();
    bus.close();
  }

  /**
   * A bus that rejects the first entry it ever sees with ThrottlingException, and takes the rest.
   */
  private Function<JsonNode, FakeAwsServer.Reply> throttlingTheFirstEntryOnce() {
    AtomicBoolean throttled = new AtomicBoolean();
    return request -> {
      ObjectNode response = JSON.createObjectNode();
      ArrayNode results = response.putArray("Entries");
      int failed = 0;
      for (JsonNode entry : request.path("Entries")) {
        if (throttled.compareAndSet(false, true)) {
          results.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "slow");
          failed++;
        } else {
          JsonNode detail = detail(entry);
          accepted.add(detail.path("target").asText() + "@" + detail.path("time").asText());
          results.addObject().put("EventId", "id");
        }
      }
      response.put("FailedEntryCount", failed);
      return FakeAwsServer.Reply.ok(response.toString());
    };
  }

  private static JsonNode detail(JsonNode entry) {
    try {
      return JSON.readTree(entry.path("Detail").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long secondsIn() {
    return Duration.between(start, clock.instant()).toSeconds();
  }

  private final ServiceScaler services =
      new ServiceScaler() {
        @Override
        public ServiceSnapshot describe(ServiceRef ref) {
          int count = desired.getOrDefault(ref.service(), 0);
          return new ServiceSnapshot(count, count, 0);
        }

        @Override
        public void setDesiredCount(ServiceRef ref, int count) {
          desired.put(ref.service(), count);
        }
      };

  /** Target t00, its backlog growing, sampled every 15 s; its first queue read takes 14.5 s. */
  private CycleReport minute(Pause pause) {
    Map<String, String> keys = new LinkedHashMap<>();
    FixedParameters.putTarget(keys, "t00");
    keys.put("t00/backlog-per-task", "10");
    keys.put("t00/policy", "backlog-per-task");
    keys.put("t00/max-tasks", "1000");
    keys.put("t00/sample-interval-seconds", "15");
    QueueProbe queues =
        url -> {
          if (firstReadDone.compareAndSet(false, true)) {
            clock.advance(Duration.ofMillis(14_500)); // the gap to the next round: 0.5 s
          }
          return new QueueSnapshot(50 + 40 * secondsIn(), 0, 0);
        };
    try (ScalingCycle cycle =
        new ScalingCycle(
            new ScalingCycle.Ports(
                FixedParameters.of(keys),
                queues,
                services,
                new InMemoryDecisionStore(),
                new EventBridgeDecisionEvents(client, "default", "/p"),
                outcome ->
                    lines.add(
                        outcome.decision().target()
                            + "@"
                            + secondsIn()
                            + " "
                            + outcome.decision().action()),
                OperatorLog.NONE,
                Tracing.NONE,
                clock,
                pause),
            8,
            AwsClients.WORST_CALL)) {
      return cycle.run(
          CycleRequest.ALL_TARGETS
              .by(Deadline.at(start.plusSeconds(98)))
              .within(Duration.ofMinutes(1)));
    }
  }

  @Test
  void aTargetsEventsGoOutInTheOrderItsDecisionsWereMadeThoughTheFirstIsThrottled() {
    bus.on("PutEvents", throttlingTheFirstEntryOnce());

    CycleReport report = minute(clock::advanceTo);

    assertThat(accepted)
        .as("lines " + lines + ", failures " + report.failures())
        .hasSizeGreaterThanOrEqualTo(2);
    List<String> inDecisionOrder = new ArrayList<>(accepted);
    Collections.sort(inDecisionOrder);
    assertThat(accepted)
        .as("a consumer keeping the latest by arrival keeps the latest decision")
        .isEqualTo(inDecisionOrder);
  }

  @Test
  void aDecisionWhoseEventWaitsWhenTheCycleIsInterruptedIsReportedAsNotSent() {
    bus.on("PutEvents", throttlingTheFirstEntryOnce());

    CycleReport report =
        minute(
            when -> {
              if (when.equals(start.plusSeconds(15))) {
                throw new InterruptedException("the function is ending");
              }
              clock.advanceTo(when);
            });

    assertThat(desired).as("t00 scaled out; lines " + lines).isNotEmpty();
    assertThat(bus.calls("PutEvents")).as("no time for a call before the interrupt").isEmpty();
    assertThat(report.failures())
        .contains("interrupted")
        .anyMatch(f -> f.startsWith("t00: SCALE_OUT done, its event not sent: "));
  }

  @Test
  void aCallThatFailsSaysItsEventMayNotHaveBeenSent() {
    // Every attempt answered 500: an attempt may have been taken before it failed (or, with a lost
    // answer, the SDK's retry resends what the bus already took).
    bus.on(
        "PutEvents", request -> FakeAwsServer.Reply.error(500, "InternalException", "bus broken"));

    CycleReport report = minute(clock::advanceTo);

    assertThat(report.failures())
        .anyMatch(f -> f.startsWith("t00: SCALE_OUT done, its event may not have been sent: "))
        .noneMatch(f -> f.contains("its event not sent"));
  }

  @Test
  void aCallTheBusRefusesSaysItsEventWasNotSent() {
    // HTTP 400 AccessDeniedException on every attempt (a role without events:PutEvents, a deleted
    // bus, an invalid entry): the bus took nothing, so the event was not sent, not "may not have
    // been".
    bus.on(
        "PutEvents",
        request ->
            FakeAwsServer.Reply.error(
                400, "AccessDeniedException", "not authorized to perform events:PutEvents"));

    CycleReport report = minute(clock::advanceTo);

    assertThat(report.failures())
        .anyMatch(f -> f.startsWith("t00: SCALE_OUT done, its event not sent: "))
        .noneMatch(f -> f.contains("may not have been sent"));
  }
}
