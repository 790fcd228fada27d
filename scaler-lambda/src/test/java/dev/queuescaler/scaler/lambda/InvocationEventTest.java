package dev.queuescaler.scaler.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.aws.IdleCheckMessages;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.CycleRequest;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.policy.BacklogRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationEventTest {

  private static CycleRequest parse(String payload) {
    return InvocationEvent.parse(payload.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "runs every target for {0}")
  @ValueSource(
      strings = {
        "",
        "{}",
        "null",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}",
        "{\"version\":\"0\",\"id\":\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\","
            + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
            + "\"account\":\"123456789012\",\"time\":\"2026-12-06T12:00:00Z\","
            + "\"region\":\"eu-west-1\",\"resources\":"
            + "[\"arn:aws:events:eu-west-1:123456789012:rule/queue-scaler-every-minute\"],"
            + "\"detail\":{}}"
      })
  void runsEveryTargetForAScheduledEvent(String payload) {
    assertThat(parse(payload)).isEqualTo(CycleRequest.ALL_TARGETS);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON | {\"target\": | is not JSON",
        "an array | [] | must be a JSON object",
        "a bad target name | {\"target\":\"no spaces\"} | \"target\" must be a target name",
        "a numeric target | {\"target\":7} | \"target\" must be a target name",
        "a string dryRun | {\"dryRun\":\"yes\"} | \"dryRun\" must be true or false",
        "dryRun in lower case | {\"dryrun\":true} | \"dryrun\" is not \"dryRun\"",
        "dryRun in snake case | {\"dry_run\":true} | \"dry_run\" is not \"dryRun\"",
        "dryRun in kebab case | {\"Dry-Run\":true} | \"Dry-Run\" is not \"dryRun\"",
        "target capitalised | {\"Target\":\"orders\"} | \"Target\" is not \"target\"",
        "a list of targets | {\"targets\":[\"orders\"]} | \"targets\" is not \"target\"",
        "a field that starts like target | {\"targetName\":\"orders\"} | nothing was read or scaled",
        "a null dryRun | {\"dryRun\":null} | \"dryRun\" must be true or false",
        "a null target | {\"target\":null} | \"target\" must be a target name",
        "dryRun twice | {\"dryRun\":true,\"dryRun\":false} | Duplicate field 'dryRun'",
        "a second object after the first | {\"target\":\"orders\"} {\"dryRun\":true} | more"
            + " follows it",
        "a dry run after a real one | {\"dryRun\":false} {\"dryRun\":true} | more follows it",
        "text after the object | {\"dryRun\":true} please | is not JSON",
        "dryRun inside an event's detail | {\"detail\":{\"dryRun\":true,\"target\":\"orders\"}}"
            + " | \"detail.dryRun\" is not a top-level field",
        "dryRun inside an input | {\"input\":{\"dryRun\":true}} | \"input.dryRun\" is not a"
            + " top-level field",
        "a target deep in a list | {\"runs\":[{\"target\":\"orders\"}]} | \"runs[0].target\""
            + " is not a top-level field"
      })
  void rejectsBadPayloadsWithAClearMessage(String name, String payload, String message) {
    assertThatThrownBy(() -> parse(payload))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theSecondObjectIsPlacedByItsCharacterInThePayloadAsSent() {
    // Two spaces and a newline before the first object: the second starts at character 21.
    assertThatThrownBy(() -> parse("  \n{\"dryRun\":false} {\"dryRun\":true}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("more follows it at character 21");
  }

  @ParameterizedTest(name = "narrows to one target in dry run")
  @ValueSource(strings = "{\"target\":\"orders\",\"dryRun\":true}")
  void narrowsToOneTargetInDryRun(String payload) {
    CycleRequest request = parse(payload);

    assertThat(request.onlyTarget()).contains(new TargetName("orders"));
    assertThat(request.forceDryRun()).isTrue();
  }

  private static byte[] changeOf(String name) {
    return ("{\"source\":\"aws.ssm\",\"detail-type\":\"Parameter Store Change\","
            + "\"detail\":{\"name\":\""
            + name
            + "\",\"operation\":\"Update\"}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aChangeEventNamesTheTargetWhoseParameterChanged() {
    assertThat(
            InvocationEvent.changedTarget(
                changeOf("/queue-scaler/orders/max-tasks"), "/queue-scaler"))
        .contains(new dev.queuescaler.scaler.config.TargetName("orders"));
  }

  @Test
  void aChangeDeeperThanATargetsKeyNamesTheTargetWhosePathHoldsIt() {
    // The walk groups orders/deep/key under orders, and orders' own read (its path) finds it: a
    // read of the whole prefix for it would restart the walk each time it changes.
    assertThat(
            InvocationEvent.changedTarget(
                changeOf("/queue-scaler/orders/deep/key"), "/queue-scaler"))
        .contains(new dev.queuescaler.scaler.config.TargetName("orders"));
  }

  @Test
  void aChangeEventThatNamesNoTargetReadsTheWholePrefix() {
    for (String name :
        new String[] {
          "/queue-scaler/orders", "/queue-scaler/orders/", "/queue-scaler/bad name/max-tasks",
          "/elsewhere/orders/max-tasks", "/queue-scaler-other/orders/max-tasks", ""
        }) {
      assertThat(InvocationEvent.changedTarget(changeOf(name), "/queue-scaler")).as(name).isEmpty();
    }
    assertThat(
            InvocationEvent.changedTarget(
                "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), "/queue-scaler"))
        .isEmpty();
  }

  /** The checks queue's event with {@code body} as its one message. */
  private static byte[] sqsEvent(String body) {
    return ("{\"Records\":[{\"messageId\":\"m0\",\"eventSource\":\"aws:sqs\",\"body\":"
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(body)
            + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static final String CHECK =
      "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
          + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"https://sqs.local/1/q\"}]}}";

  @Test
  void aCheckOfTheChecksQueueIsReadWithItsTargets() {
    byte[] event = sqsEvent(CHECK);

    assertThat(InvocationEvent.isIdleCheck(event)).isTrue();
    assertThat(InvocationEvent.idleChecks(event))
        .singleElement()
        .satisfies(
            check -> {
              assertThat(check.offset().toSeconds()).isEqualTo(15);
              assertThat(check.targets().get(0).name().value()).isEqualTo("orders");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"idleCheck\":{\"invoked\":\"noon\",\"offsetSeconds\":15,\"targets\":[]}}",
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":0,"
            + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"q\"}]}}",
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
            + "\"targets\":[]}}",
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
            + "\"targets\":[{\"name\":\"../etc\",\"queueUrl\":\"q\"}]}}",
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":\"15\","
            + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"q\"}]}}",
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
            + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\" \"}]}}",
        "{\"idleCheck\":true}"
      })
  void aMalformedCheckIsRejectedWithItsReason(String body) {
    byte[] event = sqsEvent(body);

    assertThat(InvocationEvent.isIdleCheck(event)).isTrue();
    assertThatThrownBy(() -> InvocationEvent.idleChecks(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("check message m0: ");
  }

  @Test
  void aCheckCarriesEachTargetsBacklogRules() {
    IdleCheck sent =
        new IdleCheck(
            Instant.parse("2026-11-27T12:00:00Z"),
            Duration.ofSeconds(30),
            List.of(
                new IdleCheck.Target(
                    new TargetName("orders"),
                    "https://sqs.local/1/q",
                    new BacklogRules(false, true, 7)),
                new IdleCheck.Target(
                    new TargetName("mail"), "https://sqs.local/1/m", BacklogRules.DEFAULTS)));

    IdleCheck read = IdleCheckMessages.decode(IdleCheckMessages.encode(sent));

    assertThat(read).isEqualTo(sent);
  }

  @Test
  void aCheckSentBeforeTheRulesWereCarriedCountsEveryMessage() {
    assertThat(InvocationEvent.idleChecks(sqsEvent(CHECK)))
        .singleElement()
        .satisfies(
            check ->
                assertThat(check.targets().get(0).rules())
                    .isEqualTo(BacklogRules.COUNT_EVERYTHING));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"countInFlight\":true,\"countDelayed\":false",
        "\"countInFlight\":\"yes\",\"countDelayed\":false,\"activationBacklog\":1",
        "\"countInFlight\":true,\"countDelayed\":false,\"activationBacklog\":0",
        "\"countInFlight\":true,\"countDelayed\":false,\"activationBacklog\":4294967297",
        "\"countInFlight\":true,\"countDelayed\":false,\"activationBacklog\":1.5"
      })
  void aTargetWithMalformedRulesIsRejected(String rules) {
    byte[] event =
        sqsEvent(
            "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
                + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"https://sqs.local/1/q\","
                + rules
                + "}]}}");

    assertThatThrownBy(() -> InvocationEvent.idleChecks(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("check message m0: ")
        .hasMessageContaining("orders");
  }

  @Test
  void aCheckWithADuplicateFieldIsRejected() {
    byte[] event =
        sqsEvent(
            "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":15,"
                + "\"offsetSeconds\":30,"
                + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"https://sqs.local/1/q\"}]}}");

    assertThatThrownBy(() -> InvocationEvent.idleChecks(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("check message m0: ");
  }

  /**
   * Garbage that the check decodes as a valid check instead of rejecting it: an offset beyond any
   * long, read as its low 64 bits (2^64 + 15 becomes 15), and a body with trailing text after the
   * check's JSON (which Jackson's readTree ignores).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"idleCheck\":{\"invoked\":\"2026-11-27T12:00:00Z\",\"offsetSeconds\":18446744073709551631,"
            + "\"targets\":[{\"name\":\"orders\",\"queueUrl\":\"https://sqs.local/1/q\"}]}}",
        CHECK + " trailing, not JSON"
      })
  void garbageAroundAValidLookingCheckIsRejected(String body) {
    byte[] event = sqsEvent(body);

    assertThatThrownBy(() -> InvocationEvent.idleChecks(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("check message m0: ");
  }

  @Test
  void anSqsEventThatCarriesNoCheckIsNeverACycle() {
    byte[] event = sqsEvent("{\"dryRun\":false}");

    assertThat(InvocationEvent.isIdleCheck(event)).isFalse();
    assertThatThrownBy(() -> InvocationEvent.parse(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not all idle checks");
  }
}
