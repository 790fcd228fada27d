package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.IdleCheck;
import dev.queuescaler.scaler.policy.BacklogRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A check message is measured, not only counted: a queue URL is configuration text. */
class SqsIdleCheckTriggerTest {

  private static final Instant INVOKED = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void aCheckOverTheMessageLimitIsSplitIntoChecksDueAtTheSameTime() {
    List<IdleCheck.Target> targets = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // 2,000-character queue URLs: 1,000 of them are about 2 MB.
      targets.add(
          new IdleCheck.Target(
              new TargetName("t" + i),
              "https://sqs.local/1/" + String.format("%02000d", i),
              BacklogRules.DEFAULTS));
    }
    IdleCheck check = new IdleCheck(INVOKED, Duration.ofSeconds(15), targets);

    List<IdleCheck> sent = SqsIdleCheckTrigger.fitting(check);

    assertThat(sent).hasSizeGreaterThan(1);
    assertThat(sent)
        .allSatisfy(
            part -> {
              assertThat(IdleCheckMessages.encode(part).getBytes(StandardCharsets.UTF_8).length)
                  .isLessThanOrEqualTo(SqsIdleCheckTrigger.BYTES_PER_MESSAGE)
                  .isLessThan(1_048_576);
              assertThat(part.due()).isEqualTo(check.due());
            });
    assertThat(sent.stream().flatMap(part -> part.targets().stream()).toList())
        .as("every target, once, in order")
        .isEqualTo(targets);
  }

  @Test
  void aCheckWithinTheLimitIsSentWhole() {
    IdleCheck check =
        new IdleCheck(
            INVOKED,
            Duration.ofSeconds(15),
            List.of(
                new IdleCheck.Target(
                    new TargetName("orders"), "https://sqs.local/1/q", BacklogRules.DEFAULTS)));

    assertThat(SqsIdleCheckTrigger.fitting(check)).containsExactly(check);
  }

  @Test
  void aTargetThatAloneExceedsTheLimitIsNotSent() {
    IdleCheck check =
        new IdleCheck(
            INVOKED,
            Duration.ofSeconds(15),
            List.of(
                new IdleCheck.Target(
                    new TargetName("huge"),
                    "https://sqs.local/1/" + "q".repeat(1_000_000),
                    BacklogRules.DEFAULTS)));

    assertThatThrownBy(() -> SqsIdleCheckTrigger.fitting(check))
        .isInstanceOf(AwsFailure.class)
        .hasMessageContaining("huge");
  }
}
